'use client';
// The search and the quiz: submits through @vitarec/client to this app's POST /api/portal/quiz,
// then opens the results page. Failures are said in words (the API's codes chose which).
import { isVitarecError, type RecommendRequest } from '@vitarec/client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { browserClient } from '@/lib/browserClient';
import { kGoals, T, type Lang } from '@/lib/texts';

function Problem(lang: Lang, error: unknown): string {
  if (!isVitarecError(error)) return T(lang, 'offline');
  switch (error.code) {
    case 'bad_gateway': return T(lang, 'backendDown');
    case 'gateway_timeout': return T(lang, 'backendSlow');
    case 'busy': case 'unavailable': case 'too_many_connections': return T(lang, 'busy');
    case 'invalid_argument': return `${T(lang, 'invalid')} ${error.message}`;
    case 'network_error': case 'timeout': return T(lang, 'offline');
    default: return error.status >= 500 ? T(lang, 'backendDown') : error.message;
  }
}

export default function SearchForm({ lang, initialQuery }: { lang: Lang; initialQuery: string }) {
  const router = useRouter();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState('');

  async function Submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const query = String(form.get('query') ?? '').trim();
    const answers: NonNullable<RecommendRequest['answers']> = {};
    const age = String(form.get('age') ?? '').trim();
    if (age !== '') answers.age = Number(age);
    const sex = String(form.get('sex') ?? '');
    if (sex === 'female' || sex === 'male' || sex === 'other') answers.sex = sex;
    if (form.get('pregnant')) answers.pregnant = true;
    if (form.get('lactating')) answers.lactating = true;
    const goals = form.getAll('goals').map(String);
    if (goals.length) answers.goals = goals;
    const medications = String(form.get('medications') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    if (medications.length) answers.medications = medications;
    const hasAnswers = Object.keys(answers).length > 0;
    if (query === '' && !goals.length) {
      setProblem(T(lang, 'needQuery'));
      return;
    }
    const request: RecommendRequest = { locale: lang, ...(query ? { query } : {}), ...(hasAnswers ? { answers } : {}) };
    setSending(true);
    setProblem('');
    try {
      const accepted = await browserClient.submit(request, { signal: AbortSignal.timeout(15000) });
      const params = new URLSearchParams({ id: accepted.recommendation_id });
      if (lang === 'en') params.set('lang', 'en');
      router.push(`/portal/results?${params}`);
    } catch (error) {
      setProblem(Problem(lang, error));
      setSending(false);
    }
  }

  return (
    <form className="search" onSubmit={Submit} noValidate>
      <label htmlFor="query">{T(lang, 'searchLabel')}</label>
      <div className="search-row">
        <input id="query" name="query" type="search" maxLength={500} autoComplete="off" defaultValue={initialQuery}
               placeholder={T(lang, 'searchPlaceholder')} />
        <button type="submit" className="primary" disabled={sending}>{sending ? T(lang, 'sending') : T(lang, 'searchButton')}</button>
      </div>
      <details id="quiz">
        <summary>{T(lang, 'quizSummary')}</summary>
        <div className="quiz-body">
          <div className="fields">
            <label>{T(lang, 'age')} <input id="age" name="age" type="number" inputMode="numeric" min={0} max={120} step={1} /></label>
            <label>{T(lang, 'sex')}{' '}
              <select id="sex" name="sex" defaultValue="">
                <option value="">{T(lang, 'sexUnset')}</option>
                <option value="female">{T(lang, 'female')}</option>
                <option value="male">{T(lang, 'male')}</option>
                <option value="other">{T(lang, 'other')}</option>
              </select>
            </label>
            <label className="check"><input name="pregnant" type="checkbox" /> {T(lang, 'pregnant')}</label>
            <label className="check"><input name="lactating" type="checkbox" /> {T(lang, 'lactating')}</label>
          </div>
          <fieldset>
            <legend>{T(lang, 'goals')}</legend>
            {kGoals.map((goal) => (
              <label key={goal.id} className="check"><input type="checkbox" name="goals" value={goal.id} /> {goal[lang]}</label>
            ))}
          </fieldset>
          <label className="wide">{T(lang, 'medications')} <input id="medications" name="medications" type="text" maxLength={1000} /></label>
          <button type="submit" className="primary" disabled={sending}>{T(lang, 'quizButton')}</button>
        </div>
      </details>
      {problem ? <p id="form-problem" className="problem" role="alert">{problem}</p> : null}
    </form>
  );
}
