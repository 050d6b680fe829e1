// At a phone's width (390 px) and a laptop's (1280 px), nothing is wider than the
// viewport. Screenshots of the home page and the Québec fiche at both widths.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../lib/harness.mjs';

export const WIDTHS = [390, 1280];
const SHOTS = { accueil: 'accueil', 'ville (Québec)': 'quebec' };

export async function layoutChecks(suite, browser, base, kinds, shotsDir) {
  mkdirSync(shotsDir, { recursive: true });
  for (const width of WIDTHS) {
    const page = await browser.newPage(width);
    for (const kind of kinds) {
      const name = `mise en page ${width} px: ${kind.name} ${kind.path}`;
      if (kind.absent) {
        suite.skip(name, 'page absente du site construit');
        continue;
      }
      await suite.check(name, async () => {
        await page.goto(base + kind.path, { waitUntil: 'load' });
        const r = await page.evaluate(() => {
          const vw = window.innerWidth;
          const path = (el) => {
            const parts = [];
            for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
              parts.unshift(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : ''}`);
            }
            return parts.join(' > ');
          };
          const wide = [...document.body.querySelectorAll('*')]
            .filter((el) => {
              const rect = el.getBoundingClientRect();
              return rect.width > 0 && (rect.right > vw + 0.5 || rect.left < -0.5) && getComputedStyle(el).position !== 'absolute';
            })
            .map((el) => `${path(el)} (${Math.round(el.getBoundingClientRect().left)}…${Math.round(el.getBoundingClientRect().right)} px)`);
          return { scroll: document.documentElement.scrollWidth, vw, wide };
        });
        assert(
          r.scroll <= r.vw && r.wide.length === 0,
          `page is ${r.scroll} px wide in a ${r.vw} px viewport; too wide:\n${r.wide.slice(0, 8).map((w) => `  - ${w}`).join('\n')}`,
        );
        if (SHOTS[kind.name]) {
          const file = join(shotsDir, `${SHOTS[kind.name]}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          return `capture ${file}`;
        }
        return undefined;
      });
    }
    await page.close();
  }
}
