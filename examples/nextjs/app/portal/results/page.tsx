// GET /portal/results?id=...: a server component that reads the URL; the client component
// follows the recommendation (a reload resumes it: everything needed is in the URL).
// Optional: lang=en, poll (ms, default 3000), timeout (ms, default 180000: 3 minutes).
import { LangOf } from '@/lib/texts';
import Results from './Results';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function Bounded(value: string | string[] | undefined, fallback: number, min: number, max: number): number {
  const n = Number(typeof value === 'string' ? value : NaN);
  return Number.isFinite(n) && typeof value === 'string' && value !== '' ? Math.min(max, Math.max(min, n)) : fallback;
}

export default async function ResultsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const id = typeof params.id === 'string' ? params.id : '';
  return (
    <Results id={id} lang={LangOf(params.lang)} pollIntervalMs={Bounded(params.poll, 3000, 100, 60000)}
             maxWaitMs={Bounded(params.timeout, 180000, 500, 3600000)} />
  );
}
