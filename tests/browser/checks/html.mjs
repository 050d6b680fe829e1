// The Nu Html Checker on every HTML file of the built site, in one Java process.
// Errors fail; warnings are counted and printed.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { assert } from '../lib/harness.mjs';

const VNU = createRequire(import.meta.url).resolve('vnu-jar/build/dist/vnu.jar');

/** Starts vnu on `root`; resolves to its messages. Start it early: it runs beside the browser. */
export function runVnu(root, files) {
  return new Promise((resolve, reject) => {
    const java = process.env.JAVA ?? 'java';
    const child = spawn(java, ['-Xss4m', '-jar', VNU, '--format', 'json', '--exit-zero-always', ...files], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) => reject(new Error(`cannot run ${java}: ${err.message}`)));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out).messages);
      } catch {
        reject(new Error(`vnu exited ${code} without a JSON report:\n${out.slice(0, 2000)}`));
      }
    });
  });
}

export async function htmlChecks(suite, root, files, vnu, counts) {
  await suite.check(`vnu: ${files.length} fichiers HTML sans erreur`, async () => {
    const messages = await vnu;
    const where = (m) => {
      const file = m.url ? relative(root, new URL(m.url).pathname) : '?';
      return `${file}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}`;
    };
    const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal');
    const warnings = messages.filter((m) => m.type === 'info' && m.subType === 'warning');
    counts.errors = errors.length;
    counts.warnings = warnings.length;
    for (const w of warnings.slice(0, 5)) console.log(`      warning ${where(w)}: ${w.message}`);
    if (warnings.length > 5) console.log(`      … ${warnings.length - 5} more warnings`);
    assert(
      errors.length === 0,
      `${errors.length} errors, ${warnings.length} warnings:\n${errors
        .slice(0, 25)
        .map((m) => `  - ${where(m)}: ${m.message}${m.extract ? `\n      ${m.extract.replace(/\n/g, ' ').trim().slice(0, 160)}` : ''}`)
        .join('\n')}${errors.length > 25 ? `\n  … and ${errors.length - 25} more` : ''}`,
    );
    return `0 erreur, ${warnings.length} avertissement${warnings.length > 1 ? 's' : ''}`;
  });
}
