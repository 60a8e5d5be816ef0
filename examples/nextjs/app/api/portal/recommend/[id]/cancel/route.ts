// POST /api/portal/recommend/{id}/cancel: stops a recommendation.
import { Control } from '@/lib/control';

export const dynamic = 'force-dynamic';

export function POST(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return Control('cancel', params);
}
