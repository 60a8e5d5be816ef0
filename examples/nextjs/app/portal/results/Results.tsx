'use client';
// Follows one recommendation with useRecommendation (@vitarec/client/react): the progress bar and
// message while it works, the cards (and the narrative as it is written) once they exist, and a
// clear view for failed, cancelled, timed out (the 3-minute limit), not found and lost connection.
import { useRecommendation } from '@vitarec/client/react';
import { useState } from 'react';
import { browserClient } from '@/lib/browserClient';
import { T, type Lang } from '@/lib/texts';
import RecommendationView from './RecommendationView';

interface Props {
  id: string;
  lang: Lang;
  pollIntervalMs: number;
  maxWaitMs: number;
}

export default function Results({ id, lang, pollIntervalMs, maxWaitMs }: Props) {
  const rec = useRecommendation(id || null, { client: browserClient, pollIntervalMs, maxWaitMs });
  const [retrying, setRetrying] = useState(false);
  const [retryProblem, setRetryProblem] = useState('');
  const newSearch = <a className="button" href={lang === 'en' ? '/portal?lang=en' : '/portal'}>{T(lang, 'newSearch')}</a>;

  async function Retry() {
    setRetrying(true);
    setRetryProblem('');
    try {
      await rec.retry();
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '—';
      setRetryProblem(T(lang, 'retryFailed', { code }));
    } finally {
      setRetrying(false);
    }
  }

  if (!id || rec.phase === 'not_found') {
    return (
      <section className="panel panel-notice" data-view="not-found" lang={lang}>
        <h1>{T(lang, 'notFoundHeading')}</h1>
        <p>{T(lang, 'notFoundBody')}</p>
        <div className="actions">{newSearch}</div>
      </section>
    );
  }

  if (rec.phase === 'failed' || rec.phase === 'cancelled') {
    const message = rec.phase === 'cancelled' ? T(lang, 'cancelled') : rec.status?.error?.message ?? '';
    return (
      <section className="panel panel-error" data-view="failed" lang={lang}>
        <h1>{T(lang, 'failedHeading')}</h1>
        <p id="failed-message">{message}</p>
        {retryProblem ? <p className="problem" role="alert">{retryProblem}</p> : null}
        <div className="actions">
          <button id="retry" type="button" className="primary" onClick={Retry} disabled={retrying}>
            {retrying ? T(lang, 'retrying') : T(lang, 'retry')}
          </button>
          {newSearch}
        </div>
      </section>
    );
  }

  if (rec.phase === 'timed_out' || rec.phase === 'error') {
    const timedOut = rec.phase === 'timed_out';
    return (
      <section className="panel panel-notice" data-view={timedOut ? 'timeout' : 'error'} lang={lang}>
        <h1>{T(lang, timedOut ? 'timeoutHeading' : 'errorHeading')}</h1>
        <p>{timedOut ? T(lang, 'timeoutBody') : rec.error?.message}</p>
        <div className="actions">
          <button id="keep-waiting" type="button" className="primary" onClick={rec.keepWaiting}>{T(lang, 'keepWaiting')}</button>
          {newSearch}
        </div>
      </section>
    );
  }

  const percent = Math.round(rec.progress);
  const attempt = Number(rec.status?.attempt ?? 0);
  return (
    <div lang={lang} data-view={rec.phase === 'completed' ? 'result' : 'progress'}>
      {rec.phase !== 'completed' ? (
        <section className="panel" aria-labelledby="progress-heading">
          <h1 id="progress-heading">{T(lang, 'progressHeading')}</h1>
          <div id="progressbar" className="progressbar" role="progressbar" aria-valuemin={0} aria-valuemax={100}
               aria-valuenow={percent} aria-valuetext={`${percent}%`} aria-label={T(lang, 'progressLabel')}>
            <div className="progress-fill" style={{ transform: `scaleX(${percent / 100})` }} />
          </div>
          <p className="progress-line" aria-live="polite">
            <span id="progress-percent">{percent}%</span>{' '}
            <span id="progress-message">{rec.message || T(lang, 'starting')}</span>
          </p>
          {attempt > 1 ? <p className="hint">{T(lang, 'attempt', { n: attempt })}</p> : null}
          {rec.connectionError ? <p id="connection-lost" className="problem" role="status">{T(lang, 'connectionLost')}</p> : null}
        </section>
      ) : null}
      {rec.recommendation ? (
        <RecommendationView recommendation={rec.recommendation} narrative={rec.narrative} lang={lang} />
      ) : null}
      {rec.phase === 'completed' ? <div className="actions">{newSearch}</div> : null}
    </div>
  );
}
