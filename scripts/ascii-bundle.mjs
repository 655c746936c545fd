// Used by bundle-server.mjs and bundle-cli.mjs after esbuild has written a bundle: makes each .js
// file ASCII-only. V8 keeps a script's source for as long as any of its functions may still be
// compiled, and a source with one character outside Latin-1 is kept as UTF-16, two bytes per
// character: our comments' dashes, arrows and ellipses made the 4.9 MB service bundle take
// 9.8 MiB of the V8 heap for the life of the process instead of 4.9 (issue 17, row 6;
// bench/findings.md).
//
// esbuild writes string and template literals and identifiers as ASCII escapes (charset
// 'ascii'), but copies comments and regular-expression literals as they are. So the comments
// are found with a real parser (acorn: a regex or a template can hold "//"), and each non-ASCII
// UTF-16 unit in them becomes '?': the file keeps its length in UTF-16 units, and the source map
// still points at the same line and column. Whatever non-ASCII is left is code (a regex literal
// written with a raw character): the build fails and names it, to be written as a \u escape.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'acorn';

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/g;

/** `text` with every non-ASCII unit inside a comment replaced by '?'; throws when code has one. */
export function asciiComments(text, name) {
  const units = text.split('');
  parse(text, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    allowHashBang: true,
    onComment: (_block, _body, start, end) => {
      for (let i = start; i < end; i++) if (units[i] > '\x7f') units[i] = '?';
    },
  });
  const out = units.join('');
  const left = NON_ASCII.exec(out);
  NON_ASCII.lastIndex = 0;
  if (left) {
    const line = out.slice(0, left.index).split('\n').length;
    throw new Error(`${name}:${line}: a non-ASCII character outside a comment; write it as a \\u escape in the source`);
  }
  return out;
}

/** Rewrites every .js file under `dir` (recursively) ASCII-only; returns how many files changed. */
export async function makeBundleAscii(dir) {
  let changed = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const text = await readFile(file, 'utf8');
    if (!NON_ASCII.test(text)) continue;
    NON_ASCII.lastIndex = 0;
    await writeFile(file, asciiComments(text, file));
    changed++;
  }
  return changed;
}
