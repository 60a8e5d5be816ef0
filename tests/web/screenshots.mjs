// Regenerates docs/screenshot-desktop.png (1280 px wide) and docs/screenshot-phone.png (375 px)
// of a completed recommendation. Usage: node tests/web/screenshots.mjs  (VITAREC_BIN as in the tests)
import path from 'node:path';
import { kRepoRoot, LaunchBrowser, StartServer, SubmitQuery, WaitFinal } from './helpers.mjs';

const kRequest = {
  query: 'dormir mejor',
  locale: 'es',
  quiz_id: 'portal-v1',
  answers: { age: 45, sex: 'female', goals: ['sleep'], medications: ['levotiroxina', 'warfarina'] },
};
const kShots = [
  { file: 'docs/screenshot-desktop.png', viewport: { width: 1280, height: 900 }, scale: 1, mobile: false, fullPage: true },
  { file: 'docs/screenshot-phone.png', viewport: { width: 375, height: 812 }, scale: 2, mobile: true, fullPage: false },
];

const server = await StartServer();
try {
  const id = await SubmitQuery(server.url, kRequest);
  await WaitFinal(server.url, id);
  for (const shot of kShots) {
    const browser = await LaunchBrowser({ viewport: shot.viewport, deviceScaleFactor: shot.scale, isMobile: shot.mobile });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/portal/results?id=${id}&lang=es`);
      await page.locator('#result-view .card').first().waitFor();
      await page.screenshot({ path: path.join(kRepoRoot, shot.file), fullPage: shot.fullPage });
      console.log(`wrote ${shot.file}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}
