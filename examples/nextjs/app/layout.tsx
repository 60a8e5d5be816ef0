// The portal's frame: header, main, footer. Pages choose the language with ?lang=en.
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Vitarec',
  description: 'Recomendaciones de suplementos basadas en la evidencia',
  robots: { index: false },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="es">
      <body>
        <header className="site-header">
          <div className="wrap">
            <a className="brand" href="/portal">Vitarec</a>
          </div>
        </header>
        <main id="main" className="wrap">{children}</main>
        <footer className="site-footer">
          <div className="wrap">
            <p>Vitarec · <span lang="es">información general, no consejo médico</span> · <span lang="en">general information, not medical advice</span></p>
          </div>
        </footer>
      </body>
    </html>
  );
}
