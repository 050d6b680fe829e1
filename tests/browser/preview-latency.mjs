// Measures what an editor waits for in `fiches serve`: from saving a fiche to the open
// tab reloaded with the edit, in Debian's Chromium. Each run changes one sentence of the
// fiche (TEXT becomes "TEXT (mesure N)"), waits for the tab's next `load` and checks
// that the page shows the edit. Prints each run, the rebuild time the server logged, and
// the median of both.
//
// Runs are PAUSE ms apart (default 3000, env PAUSE): an editor reads the page between
// saves, and the server writes the open data again during that pause. MARK=plain writes
// "TEXT mesure N" instead, for a TEXT that a parenthesis would change the meaning of: a
// partner's name, where it would read as an acronym. MARK=number, for a TEXT that ends
// with a number (a headline figure's `valeur: 268`), writes that number plus N, and
// looks for it on the page, French thousands separators aside.
//   e.g. MARK=plain node preview-latency.mjs target/release/fiches . \
//          content/villes/quebec.yaml /villes/quebec/ 'nom: "Coop Carbone' 10
//        MARK=number node preview-latency.mjs target/release/fiches . \
//          content/villes/quebec.yaml /villes/quebec/ 'valeur: 22840' 10
//
// Usage: node preview-latency.mjs FICHES_BINARY SITE_DIR FICHE PAGE TEXT [RUNS]
//   e.g. node preview-latency.mjs target/release/fiches . content/villes/quebec.yaml \
//          /villes/quebec/ "La Ville a réalisé une recherche" 10
// The fiche is put back as it was at the end. An edit the server refuses (a partner
// renamed to a name the site's `content/organismes.yaml` does not know, say) ends the
// measure with the server's error, rather than waiting for a reload that never comes.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { launch } from './lib/browser.mjs';

const [bin, site, fiche, pagePath, from, runsArg = '10'] = process.argv.slice(2);
if (!from) {
  console.error('usage: node preview-latency.mjs FICHES_BINARY SITE_DIR FICHE PAGE TEXT [RUNS]');
  process.exit(2);
}
if (process.env.MARK === 'number' && !/\d$/.test(from)) {
  console.error(`MARK=number: « ${from} » does not end with a number`);
  process.exit(2);
}
const runs = Number(runsArg);
const file = join(site, fiche);
const original = readFileSync(file, 'utf8');
if (!original.includes(from)) {
  console.error(`${file} does not contain « ${from} »`);
  process.exit(2);
}

const server = spawn(bin, ['-C', site, 'serve', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
// What the server says, on both streams: its reports on standard output, the errors it
// finds in the content on standard error.
const lines = [];
const waiters = [];
for (const stream of [server.stdout, server.stderr]) {
  createInterface({ input: stream }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((w) => w());
  });
}
async function said(prefix, after) {
  for (;;) {
    const hit = lines.slice(after).find((l) => l.startsWith(prefix));
    if (hit) return hit;
    await new Promise((r) => waiters.push(r));
  }
}
// An edit the server refuses (the tab then shows the error, and no rebuild is reported):
// its summary, "1 erreur et 0 avertissement dans 1 fichier", ends the measure.
async function refused(after) {
  for (;;) {
    const at = lines.slice(after).findIndex((l) => /^\d+ erreurs? et /.test(l));
    if (at >= 0) {
      const told = lines.slice(after, after + at + 1).join('\n');
      throw new Error(`the server refused the edit:\n${told}`);
    }
    await new Promise((r) => waiters.push(r));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const t0 = performance.now();
const browser = await launch();
try {
  const address = (await said('Aperçu sur http://', 0)).split(' ')[2];
  console.log(`first build and server ready: ${Math.round(performance.now() - t0)} ms`);
  const page = await browser.newPage();
  await page.goto(address.replace(/\/$/, '') + pagePath, { waitUntil: 'load' });
  const reloads = [];
  const rebuilds = [];
  const hears = [];
  for (let n = 1; n <= runs; n++) {
    const number = /(\d+)$/.exec(from);
    const [mark, edited] = {
      plain: [`mesure ${n}`, `${from} mesure ${n}`],
      number: number && [
        String(Number(number[1]) + n),
        from.slice(0, number.index) + String(Number(number[1]) + n),
      ],
    }[process.env.MARK] ?? [`(mesure ${n})`, `${from} (mesure ${n})`];
    const seen = lines.length;
    const loaded = page.waitForEvent('load', { timeout: 120000 });
    const start = performance.now();
    writeFileSync(file, original.replace(from, edited));
    await Promise.race([loaded, refused(seen)]);
    const took = performance.now() - start;
    let [text, navStart] = await page.evaluate(() => [document.body.innerText.replace(/[\u00a0\u202f]/g, ' '), performance.timeOrigin]);
    if (process.env.MARK === 'number') text = text.replace(/(\d) (?=\d{3}\b)/g, '$1');
    const heard = navStart - (performance.timeOrigin + start);
    if (!text.includes(mark)) throw new Error(`run ${n}: the reloaded page does not show ${mark}`);
    const log = await Promise.race([
      refused(seen),
      ...['Page reconstruite', 'Partenaires mis à jour', 'Carte mise à jour', 'Enjeux mis à jour', 'Nom mis à jour', 'Porteur mis à jour', 'Fiches relues'].map(
        (p) => said(p, seen),
      ),
    ]);
    const ms = Number(/en (\d+) ms/.exec(log)?.[1] ?? NaN);
    reloads.push(took);
    rebuilds.push(ms);
    hears.push(heard);
    console.log(`run ${n}: save → reloaded tab ${took.toFixed(0)} ms (reload asked after ${heard.toFixed(0)} ms); server: ${log}`);
    await new Promise((r) => setTimeout(r, Number(process.env.PAUSE ?? 3000)));
    const data = lines.slice(seen).find((l) => l.startsWith('Données ouvertes'));
    if (data) console.log(`        ${data}`);
  }
  console.log(`median save → reloaded tab: ${median(reloads).toFixed(0)} ms over ${runs} runs`);
  console.log(`median save → reload asked by the page: ${median(hears).toFixed(0)} ms`);
  console.log(`median rebuild (server log): ${median(rebuilds)} ms`);
} finally {
  writeFileSync(file, original);
  await browser.close();
  server.kill();
}
