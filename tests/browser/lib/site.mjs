// What the built site holds: its HTML files, and one page of each kind to test.

import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export function walk(dir) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

/** The URL path a built HTML file is served at: `villes/quebec/index.html` → `/villes/quebec/`. */
export function urlOf(file) {
  return `/${file.replace(/(^|\/)index\.html$/, '$1')}`;
}

function first(root, section, preferred) {
  const dirs = readdirSync(join(root, section), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, section, e.name, 'index.html')))
    .map((e) => e.name)
    .sort();
  const slug = dirs.includes(preferred) ? preferred : dirs[0];
  return slug ? `/${section}/${slug}/` : null;
}

/**
 * One page of each kind: [{ name, path, optional }]. Search and open data come
 * with a later version of the theme: they are listed as `absent` until they exist.
 */
export function pageKinds(root) {
  const has = (p) => existsSync(join(root, p, 'index.html'));
  const kinds = [
    { name: 'accueil', path: '/' },
    { name: 'villes', path: '/villes/' },
    { name: 'ville (Québec)', path: '/villes/quebec/' },
    { name: 'secteurs', path: '/secteurs/' },
    { name: 'secteur', path: first(root, 'secteurs', 'services-aux-aines') },
    { name: 'enjeux', path: '/enjeux/' },
    { name: 'enjeu', path: first(root, 'enjeux', 'vitalite-des-collectivites') },
    { name: 'organismes', path: '/organismes/' },
    { name: 'organisme', path: first(root, 'organismes', 'chantier-de-l-economie-sociale') },
    { name: '404', path: '/cette-page-n-existe-pas/', status: 404 },
    { name: 'recherche', path: '/recherche/', optional: true },
    { name: 'données', path: '/donnees/', optional: true },
  ];
  return kinds.map((k) => ({
    ...k,
    absent: k.path === null || (k.optional && !has(k.path.slice(1))),
  }));
}
