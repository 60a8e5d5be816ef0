// The recommendation laid out for reading: one card per supplement (dose, timing, evidence grade,
// reasons, warnings, interactions, sources), general notes, the narrative, the disclaimer.
// Every string from the service is rendered as text; links only for http(s) URLs.
import type { Narrative, Recommendation, RecommendationItem } from '@vitarec/client';
import { T, type Lang } from '@/lib/texts';

function SafeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

// A readable string from a value the engine sends as text, number, list or object with a text field.
function Text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(Text).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of ['message', 'text', 'note', 'summary', 'name', 'title', 'id']) {
      const text = Text(o[key]);
      if (text) return text;
    }
  }
  return '';
}

// An interaction as "levothyroxine: take it 4 h apart" when the engine names the medication.
function InteractionText(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return Text(value);
  const o = value as Record<string, unknown>;
  const drug = Text(o.name ?? o.with);
  const note = Text(o.note ?? o.message ?? o.summary);
  return drug && note ? `${drug}: ${note}` : drug || note;
}

function DoseText(dose: RecommendationItem['dose']): string {
  if (!dose) return '';
  const quantity = [dose.amount, dose.unit].filter((v) => v !== undefined && v !== '').join(' ');
  return [quantity, dose.frequency].filter(Boolean).join(', ');
}

function List({ title, values, className, text = Text }: { title: string; values: unknown[] | undefined; className: string; text?: (value: unknown) => string }) {
  const texts = (values ?? []).map(text).filter(Boolean);
  if (!texts.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul className={className}>{texts.map((text, i) => <li key={i}>{text}</li>)}</ul>
    </>
  );
}

function Card({ item, index, lang }: { item: RecommendationItem; index: number; lang: Lang }) {
  const name = item.supplement?.name || item.supplement?.id || `#${index + 1}`;
  const grade = item.evidence?.grade;
  const headingId = `item-${index}`;
  const sources = (item.sources ?? []).filter((s) => s && (s.title || s.url));
  return (
    <article className="card" aria-labelledby={headingId} data-supplement={item.supplement?.id}>
      <div className="card-head">
        <h2 id={headingId}>{name}</h2>
        {grade ? (
          <span className={`grade grade-${grade.toLowerCase()}`} aria-label={T(lang, 'evidenceGrade', { grade })}>
            <small aria-hidden="true">{T(lang, 'evidence')}</small> <span aria-hidden="true">{grade}</span>
          </span>
        ) : null}
      </div>
      <dl className="facts">
        {item.form ? <><dt>{T(lang, 'form')}</dt><dd>{item.form}</dd></> : null}
        {DoseText(item.dose) ? <><dt>{T(lang, 'dose')}</dt><dd className="dose">{DoseText(item.dose)}</dd></> : null}
        {item.timing ? <><dt>{T(lang, 'timing')}</dt><dd className="timing">{item.timing}</dd></> : null}
      </dl>
      {item.evidence?.summary ? <p className="evidence-summary">{item.evidence.summary}</p> : null}
      <List title={T(lang, 'reasons')} values={item.reasons} className="list-reasons" />
      <List title={T(lang, 'warnings')} values={item.warnings} className="list-warnings" />
      <List title={T(lang, 'interactions')} values={item.interactions} className="list-interactions" text={InteractionText} />
      {sources.length ? (
        <>
          <h3>{T(lang, 'sources')}</h3>
          <ul className="sources">
            {sources.map((source, i) => {
              const url = SafeHttpUrl(source.url);
              const title = source.title || source.url || '';
              return <li key={i}>{url ? <a href={url} target="_blank" rel="noopener noreferrer">{title}</a> : title}</li>;
            })}
          </ul>
        </>
      ) : null}
    </article>
  );
}

function NarrativeView({ narrative, lang }: { narrative: Narrative; lang: Lang }) {
  return (
    <section className="narrative" data-narrative={narrative.status} aria-live="polite">
      <h2>{T(lang, 'narrativeHeading')}</h2>
      {narrative.status === 'unavailable'
        ? <p className="hint">{T(lang, 'narrativeUnavailable')}</p>
        : <p className="narrative-text">{narrative.text ?? ''}{narrative.status === 'writing' ? <span className="hint"> {T(lang, 'narrativeWriting')}</span> : null}</p>}
    </section>
  );
}

export default function RecommendationView({ recommendation, narrative, lang }: { recommendation: Recommendation; narrative: Narrative | null; lang: Lang }) {
  const items = (recommendation.items ?? []).filter(Boolean);
  const suggestions = (recommendation.suggestions ?? []).filter(Boolean);
  const suggestionHref = (s: string) => `/portal?${new URLSearchParams({ q: s, ...(lang === 'en' ? { lang } : {}) })}`;
  return (
    <section id="result" aria-labelledby="result-heading" lang={recommendation.locale || lang}>
      <h1 id="result-heading">{T(lang, 'resultHeading')}</h1>
      <p className="result-query">
        {recommendation.query ? <>{T(lang, 'resultFor')} <q>{recommendation.query}</q></> : T(lang, 'resultForQuiz')}
      </p>
      {items.length ? (
        <ul className="cards">{items.map((item, i) => <li key={item.supplement?.id ?? i}><Card item={item} index={i} lang={lang} /></li>)}</ul>
      ) : (
        <p className="notes notes-empty">{recommendation.message || T(lang, 'noItems')}</p>
      )}
      {narrative ? <NarrativeView narrative={narrative} lang={lang} /> : null}
      <List title={T(lang, 'generalWarnings')} values={recommendation.warnings} className="notes-warnings" />
      {suggestions.length ? (
        <>
          <h3>{T(lang, 'suggestions')}</h3>
          <ul className="suggestions">{suggestions.map((s) => <li key={s}><a href={suggestionHref(s)}>{s}</a></li>)}</ul>
        </>
      ) : null}
      {recommendation.disclaimer ? <p className="disclaimer"><strong>{T(lang, 'disclaimer')}: </strong>{recommendation.disclaimer}</p> : null}
    </section>
  );
}
