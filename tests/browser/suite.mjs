// The browser test suite of fiches: serves a built site and checks it in Debian's
// Chromium. Usage: node suite.mjs PUBLIC_DIR SCREENSHOTS_DIR
// Prints one line per check and closes with `browser: N passed, M failed`.

import { resolve } from 'node:path';
import { axeChecks, keyboardChecks } from './checks/accessibility.mjs';
import { htmlChecks, runVnu } from './checks/html.mjs';
import { layoutChecks } from './checks/layout.mjs';
import { linkChecks } from './checks/links.mjs';
import { printChecks } from './checks/print.mjs';
import { searchChecks } from './checks/search.mjs';
import { launch } from './lib/browser.mjs';
import { Suite } from './lib/harness.mjs';
import { serve } from './lib/server.mjs';
import { pageKinds, walk } from './lib/site.mjs';

const root = resolve(process.argv[2] ?? 'public');
const shots = resolve(process.argv[3] ?? 'target/screenshots');
const suite = new Suite();
const files = walk(root);
const html = files.filter((f) => f.endsWith('.html'));
const kinds = pageKinds(root);
const counts = { axe: {}, html: {}, links: {}, print: {} };

// vnu runs in its own Java process while the browser works.
const vnu = runVnu(root, html);
vnu.catch(() => {});

const server = await serve(root);
let browser;
try {
  browser = await launch();
  console.log(`site ${root} (${html.length} pages) sur ${server.url}, Chromium ${browser.version}`);
  for (const k of kinds.filter((k) => k.absent)) console.log(`note: ${k.path} n’existe pas dans ce site : ses vérifications sont sautées`);

  suite.section('serveur');
  await suite.check('une page absente répond 404 avec 404.html', async () => {
    const res = await fetch(`${server.url}/cette-page-n-existe-pas/`);
    const body = await res.text();
    if (res.status !== 404 || !body.includes('<h1')) throw new Error(`status ${res.status}`);
  });

  suite.section('accessibilité (axe-core)');
  await axeChecks(suite, browser, server.url, kinds, counts.axe);
  suite.section('clavier');
  await keyboardChecks(suite, browser, server.url, kinds);
  suite.section('liens');
  await linkChecks(suite, browser, server.url, root, files, counts.links);
  suite.section('mise en page');
  await layoutChecks(suite, browser, server.url, kinds, shots);
  suite.section('impression');
  await printChecks(suite, browser, server.url, shots, counts.print);
  suite.section('recherche');
  await searchChecks(suite, browser, server.url, kinds);
  suite.section('HTML valide (Nu Html Checker)');
  await htmlChecks(suite, root, html, vnu, counts.html);
} catch (err) {
  suite.failed += 1;
  console.log(`FAIL  the suite stopped: ${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  await server.close();
}

const axeCounts = kinds.filter((k) => k.name in counts.axe).map((k) => `${k.name} ${counts.axe[k.name]}`);
console.log(`\naxe violations per page: ${axeCounts.join(', ') || 'none run'}`);
console.log(`vnu: ${counts.html.errors ?? '?'} errors, ${counts.html.warnings ?? '?'} warnings; links: ${counts.links.links ?? '?'} checked; PDF: ${counts.print.pdfPages ?? '?'} page(s)`);
console.log(suite.summary());
process.exitCode = suite.failed === 0 ? 0 : 1;
