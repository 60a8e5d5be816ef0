// GET /portal: the search box and the quiz (a server component around the client-side form).
import { LangOf, T } from '@/lib/texts';
import SearchForm from './SearchForm';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PortalPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const lang = LangOf(params.lang);
  const q = typeof params.q === 'string' ? params.q.slice(0, 500) : '';
  return (
    <section className="panel" lang={lang}>
      <p className="tagline">{T(lang, 'tagline')}</p>
      <p className="lang-link"><a href={lang === 'en' ? '/portal' : '/portal?lang=en'}>{T(lang, 'otherLang')}</a></p>
      <h1>{T(lang, 'searchHeading')}</h1>
      <SearchForm lang={lang} initialQuery={q} />
    </section>
  );
}
