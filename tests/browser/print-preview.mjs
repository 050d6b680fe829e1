// Prints one page of a built site to PDF and PNG, to look at while tuning the print
// stylesheet. Usage: node print-preview.mjs PUBLIC_DIR /villes/quebec/ OUT_PREFIX
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { launch } from './lib/browser.mjs';
import { serve } from './lib/server.mjs';

const [root = 'public', path = '/villes/quebec/', out = 'target/screenshots/apercu'] = process.argv.slice(2);
const server = await serve(resolve(root));
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url + path, { waitUntil: 'load' });
  await page.pdf({ path: `${out}.pdf`, format: 'Letter', printBackground: true, preferCSSPageSize: true });
  const pages = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [`${out}.pdf`], { encoding: 'utf8' }))[1];
  execFileSync('pdftoppm', ['-png', '-r', '70', `${out}.pdf`, out]);
  console.log(`${out}.pdf: ${pages} page(s)`);
} finally {
  await browser.close();
  await server.close();
}
