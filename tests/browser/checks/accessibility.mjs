// WCAG 2.1 A and AA with axe-core on every kind of page, then the keyboard: the skip
// link, a visible focus, and every link and control reachable with Tab.

import { createRequire } from 'node:module';
import { assert } from '../lib/harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function open(page, base, kind) {
  const res = await page.goto(base + kind.path, { waitUntil: 'load' });
  const want = kind.status ?? 200;
  assert(res.status() === want, `${kind.path} answered ${res.status()}, expected ${want}`);
}

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? `: ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`),
    }));
  }, TAGS);
}

export async function axeChecks(suite, browser, base, kinds, counts) {
  const page = await browser.newPage();
  for (const kind of kinds) {
    const name = `axe ${TAGS.join('+')}: ${kind.name} ${kind.path}`;
    if (kind.absent) {
      suite.skip(name, 'page absente du site construit');
      continue;
    }
    await suite.check(name, async () => {
      await open(page, base, kind);
      const violations = await axeViolations(page);
      counts[kind.name] = violations.reduce((n, v) => n + v.nodes.length, 0);
      assert(
        violations.length === 0,
        violations
          .map((v) => `${v.id} (${v.impact}) ${v.help}\n${v.nodes.slice(0, 5).map((n) => `  - ${n}`).join('\n')}${v.nodes.length > 5 ? `\n  … and ${v.nodes.length - 5} more` : ''}`)
          .join('\n'),
      );
      return '0 violations';
    });
  }
  await page.close();
}

/** The focused element, described for a message: `a.skip "Aller au contenu"`. */
function describeActive(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const cls = el.className && typeof el.className === 'string' ? `.${el.className.split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
  });
}

export async function keyboardChecks(suite, browser, base, kinds) {
  const page = await browser.newPage();
  const present = kinds.filter((k) => !k.absent);

  for (const kind of present.filter((k) => ['accueil', 'ville (Québec)', 'recherche'].includes(k.name))) {
    await suite.check(`clavier: le lien d’évitement est le premier arrêt et mène au contenu (${kind.path})`, async () => {
      await open(page, base, kind);
      await page.keyboard.press('Tab');
      const skip = await page.evaluate(() => {
        const el = document.activeElement;
        const main = document.querySelector('main');
        const r = el.getBoundingClientRect();
        return {
          isLink: el.tagName === 'A',
          href: el.getAttribute('href'),
          mainId: main?.id ?? null,
          onScreen: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,
        };
      });
      assert(skip.isLink && skip.mainId && skip.href === `#${skip.mainId}`, `the first Tab stop is ${await describeActive(page)}, not a link to #${skip.mainId ?? '(main has no id)'}`);
      assert(skip.onScreen, 'the skip link is focused but not shown on screen');
      await page.keyboard.press('Enter');
      const inMain = await page.evaluate(() => {
        const main = document.querySelector('main');
        return main === document.activeElement || main.contains(document.activeElement);
      });
      assert(inMain, `after Enter on the skip link, focus is on ${await describeActive(page)}, not in <main>`);
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
      assert(next, `the Tab after the skip link goes to ${await describeActive(page)}, outside <main>`);
    });
  }

  await suite.check('clavier: le focus est visible sur les liens (en-tête et contenu)', async () => {
    await open(page, base, present[0]);
    const seen = [];
    for (let i = 0; i < 60 && seen.length < 2; i += 1) {
      await page.keyboard.press('Tab');
      const s = await page.evaluate(() => {
        const el = document.activeElement;
        const cs = getComputedStyle(el);
        const where = el.closest('header') ? 'header' : el.closest('main') ? 'main' : 'other';
        return { where, tag: el.tagName, style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
      });
      if (s.tag === 'A' && (s.where === 'header' || s.where === 'main') && !seen.some((x) => x.where === s.where)) {
        seen.push({ ...s, el: await describeActive(page) });
      }
    }
    assert(seen.length === 2, 'could not reach a link in both the header and <main> with Tab');
    const bad = seen.filter((s) => s.style === 'none' || !(s.width > 0));
    assert(bad.length === 0, bad.map((s) => `focused ${s.el} has outline ${s.style} ${s.width}px`).join('\n'));
    return seen.map((s) => `${s.where}: outline ${s.style} ${s.width}px`).join(', ');
  });

  for (const kind of present) {
    await suite.check(`clavier: chaque lien et contrôle est atteint par Tab — ${kind.name}`, async () => {
      await open(page, base, kind);
      const expected = await page.evaluate(() => {
        const sel = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], [contenteditable=""], [contenteditable=true]';
        const els = [...document.querySelectorAll(sel)].filter((el) => {
          const cs = getComputedStyle(el);
          return !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 && cs.visibility !== 'hidden' && !el.closest('[inert]');
        });
        const groups = new Set();
        const wanted = [];
        els.forEach((el, i) => {
          // A group of radio buttons is one Tab stop.
          const key = el.type === 'radio' && el.name ? `radio:${el.name}` : `el:${i}`;
          el.dataset.fichesTab = key;
          if (!groups.has(key)) {
            groups.add(key);
            wanted.push({ key, text: `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 40)}"` });
          }
        });
        document.activeElement?.blur();
        return wanted;
      });
      const reached = new Set();
      for (let i = 0; i < expected.length + 3; i += 1) {
        await page.keyboard.press('Tab');
        const key = await page.evaluate(() => document.activeElement?.dataset?.fichesTab ?? null);
        if (key) reached.add(key);
      }
      const missed = expected.filter((e) => !reached.has(e.key));
      assert(missed.length === 0, `${missed.length} of ${expected.length} never get focus:\n${missed.slice(0, 10).map((m) => `  - ${m.text}`).join('\n')}`);
      return `${expected.length} arrêts`;
    });
  }
  await page.close();
}
