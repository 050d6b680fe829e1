// The search page, when the site has one: typing finds a fiche without its accents,
// and an organisation by its name.

import { assert } from '../lib/harness.mjs';

const CASES = [
  { query: 'quebec', wants: 'la fiche de Québec', match: (l) => /\/villes\/quebec\/?$/.test(l.path) },
  {
    query: 'chantier',
    wants: 'le Chantier de l’économie sociale',
    match: (l) => /chantier de l.economie sociale/.test(l.text) || /\/organismes\/chantier-de-l-economie-sociale\/?$/.test(l.path),
  },
];

const FIELD = 'main input[type=search], main [role=searchbox], main input[name=q], main input[type=text], input[type=search]';

async function visibleResults(page) {
  return page.evaluate(() => {
    const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’ʼ]/g, "'").toLowerCase();
    return [...document.querySelectorAll('main a[href]')]
      .filter((a) => a.getClientRects().length > 0 && getComputedStyle(a).visibility !== 'hidden')
      .map((a) => ({ text: fold(a.textContent), path: new URL(a.href).pathname }));
  });
}

export async function searchChecks(suite, browser, base, kinds) {
  const search = kinds.find((k) => k.name === 'recherche');
  if (search.absent) {
    for (const c of CASES) suite.skip(`recherche: « ${c.query} » trouve ${c.wants}`, `pas de page ${search.path} dans le site construit`);
    return;
  }
  const page = await browser.newPage();
  for (const c of CASES) {
    await suite.check(`recherche: « ${c.query} » trouve ${c.wants}`, async () => {
      await page.goto(base + search.path, { waitUntil: 'load' });
      const field = page.locator(FIELD).first();
      assert((await field.count()) === 1, `no search field on ${search.path}`);
      await field.click();
      await field.pressSequentially(c.query, { delay: 20 });
      let found = false;
      for (let i = 0; i < 20 && !found; i += 1) {
        await page.waitForTimeout(100);
        found = (await visibleResults(page)).some(c.match);
      }
      if (!found) {
        // Without script, the form is submitted and the results page answers.
        await Promise.all([page.waitForLoadState('load'), field.press('Enter')]);
        await page.waitForTimeout(300);
        found = (await visibleResults(page)).some(c.match);
      }
      assert(found, `after typing "${c.query}", no visible result links to ${c.wants}`);
    });
  }
  await page.close();
}
