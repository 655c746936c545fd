// Part of `npm run build` (after tsc): bundles the service (`garminsync server`) into
// dist/server-bundle/main.js with esbuild. Unbundled, the service starts by loading ~2,700 ES
// module files (typebox's and kysely's builds are one module per source file) and each module
// costs memory for as long as the process lives: one bundled file takes ~20 MiB less peak RSS
// at start-up (issue 17, row 6; bench/findings.md). bin/garminsync.js runs the bundle when it
// exists, else tsc's dist/server/main.js (the tests import src/ directly).
//
// Bundled: our code and every pure-JavaScript dependency. Not bundled: better-sqlite3 (a native
// addon, found through its package at run time) and pg-native (pg's optional native binding,
// never installed or used).
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { makeBundleAscii } from './ascii-bundle.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
await rm(new URL('dist/server-bundle/', new URL('..', import.meta.url)), { recursive: true, force: true });
await build({
  absWorkingDir: repo,
  entryPoints: ['src/server/main.ts'],
  outfile: 'dist/server-bundle/main.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pg-native'],
  // The CommonJS packages inside (fastify, pino, pg, …) call require() for node: built-ins and
  // for better-sqlite3; an ES module needs a real require for that.
  banner: { js: "import { createRequire as __serverRequire } from 'node:module'; const require = __serverRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  // ASCII escapes in literals and identifiers; makeBundleAscii relies on it for comments.
  charset: 'ascii',
  logLevel: 'warning',
});
await makeBundleAscii(fileURLToPath(new URL('dist/server-bundle/', new URL('..', import.meta.url))));
