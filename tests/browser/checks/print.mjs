// The Québec fiche printed by Chromium on Letter paper is one page, like the original
// PDF, and keeps the key partners' e-mails and web sites while dropping navigation.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../lib/harness.mjs';

function pageCount(pdf) {
  try {
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    return Number(/^Pages:\s+(\d+)/m.exec(info)[1]);
  } catch {
    // No poppler: count the page objects (Chromium writes them uncompressed).
    return (readFileSync(pdf, 'latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  }
}

export async function printChecks(suite, browser, base, outDir, counts) {
  const page = await browser.newPage();
  const path = '/villes/quebec/';
  const pdf = join(outDir, 'quebec-print.pdf');

  await suite.check(`impression: la fiche de Québec tient sur une page Letter (${pdf})`, async () => {
    await page.goto(base + path, { waitUntil: 'load' });
    await page.pdf({ path: pdf, format: 'Letter', printBackground: true, preferCSSPageSize: true });
    const pages = pageCount(pdf);
    counts.pdfPages = pages;
    try {
      execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(outDir, 'quebec-print')], { stdio: 'ignore' });
    } catch {
      // pictures of the pages are a convenience for a person, not part of the check
    }
    assert(pages === 1, `the PDF has ${pages} pages`);
    return '1 page';
  });

  await suite.check('impression: navigation et pied de page masqués, courriels et sites des partenaires visibles', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.goto(base + path, { waitUntil: 'load' });
    const r = await page.evaluate(() => {
      const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const partnerLinks = [...document.querySelectorAll('main a[href^="mailto:"], main a[href^="http"]')];
      return {
        partnerLinks: partnerLinks.length,
        hiddenPartnerLinks: partnerLinks.filter((a) => !shown(a)).map((a) => a.getAttribute('href')),
        shownChrome: [...document.querySelectorAll('body > header nav, body > footer, .skip, [role=search], form')].filter(shown).map((e) => e.tagName.toLowerCase() + (e.className ? `.${e.className}` : '')),
      };
    });
    await page.emulateMedia({ media: null });
    assert(r.partnerLinks > 0, 'the fiche has no e-mail or web link to keep');
    assert(r.hiddenPartnerLinks.length === 0, `hidden in print: ${r.hiddenPartnerLinks.join(', ')}`);
    assert(r.shownChrome.length === 0, `still printed: ${r.shownChrome.join(', ')}`);
    return `${r.partnerLinks} courriels et sites imprimés`;
  });
  await page.close();
}
