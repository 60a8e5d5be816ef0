// POST /api/portal/recommend/{id}/retry: a failed or cancelled recommendation back to work.
import { Control } from '@/lib/control';

export const dynamic = 'force-dynamic';

export function POST(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return Control('retry', params);
}
