// The client the pages use in the browser: this app's own origin and its /api/portal/* routes,
// which relay to Vitarec (app/api/portal/...).
import { createClient } from '@vitarec/client';

export const browserClient = createClient({ baseUrl: '', routes: 'frontend' });
