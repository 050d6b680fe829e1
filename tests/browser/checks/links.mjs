// Every internal link and asset of every built page resolves to a file in public/,
// and every #fragment to an id on the target page. Read from the DOM Chromium builds,
// so unquoted attributes of minified pages are read exactly as a browser reads them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../lib/harness.mjs';
import { resolveFile } from '../lib/server.mjs';
import { urlOf } from '../lib/site.mjs';

export async function linkChecks(suite, browser, base, root, files, counts) {
  const htmlFiles = files.filter((f) => f.endsWith('.html'));
  const cssFiles = files.filter((f) => f.endsWith('.css'));
  await suite.check(`liens: chaque lien interne et ressource de ${htmlFiles.length} pages et ${cssFiles.length} feuille(s) de style existe`, async () => {
    const page = await browser.newPage();
    const ids = new Map(); // url path of a page → its ids
    const refs = []; // { from, raw, url }
    for (const file of htmlFiles) {
      const from = urlOf(file);
      await page.goto(base + from, { waitUntil: 'domcontentloaded' });
      const found = await page.evaluate(() => {
        const out = [];
        for (const el of document.querySelectorAll('[href], [src], [srcset], [poster], [action], object[data]')) {
          for (const attr of ['href', 'src', 'poster', 'action', 'data']) {
            const v = el.getAttribute(attr);
            if (v !== null && !(attr === 'data' && el.tagName !== 'OBJECT')) out.push(v);
          }
          const set = el.getAttribute('srcset');
          if (set) out.push(...set.split(',').map((s) => s.trim().split(/\s+/)[0]).filter(Boolean));
        }
        return { refs: out, ids: [...document.querySelectorAll('[id]')].map((e) => e.id), names: [...document.querySelectorAll('a[name]')].map((e) => e.name) };
      });
      ids.set(from, new Set([...found.ids, ...found.names]));
      for (const raw of found.refs) refs.push({ from, raw, url: new URL(raw, base + from) });
    }
    await page.close();
    for (const file of cssFiles) {
      const css = readFileSync(join(root, file), 'utf8');
      for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
        refs.push({ from: `/${file}`, raw: m[2], url: new URL(m[2], `${base}/${file}`) });
      }
    }

    const origin = new URL(base).origin;
    const internal = refs.filter((r) => r.url.origin === origin && (r.url.protocol === 'http:'));
    const broken = [];
    const targets = new Set();
    for (const r of internal) {
      const file = await resolveFile(root, r.url.pathname);
      targets.add(r.url.pathname);
      if (!file) {
        broken.push(`${r.from}: ${r.raw} → no file for ${r.url.pathname}`);
        continue;
      }
      const hash = decodeURIComponent(r.url.hash.slice(1));
      if (hash && file.endsWith('.html')) {
        const pageIds = ids.get(r.url.pathname);
        if (pageIds && !pageIds.has(hash)) broken.push(`${r.from}: ${r.raw} → no id "${hash}" on ${r.url.pathname}`);
      }
    }
    counts.links = internal.length;
    counts.targets = targets.size;
    const unique = [...new Set(broken)];
    assert(unique.length === 0, `${unique.length} broken:\n${unique.slice(0, 30).map((b) => `  - ${b}`).join('\n')}`);
    return `${internal.length} liens internes vers ${targets.size} cibles, ${refs.length - internal.length} externes (mailto, tel, web) non suivis`;
  });
}
