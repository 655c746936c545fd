// Part of `npm run build` (after tsc): bundles the CLI into dist/cli-bundle/ with esbuild, so that a
// command loads a handful of files instead of ~40 ES modules plus commander's CommonJS files
// (issue 17, row 4). Every verb of the command table stays its own lazily imported file
// (dist/cli-bundle/commands/<noun>/<verb>.js), code two of them share goes into chunks/.
// bin/garminsync.js runs the bundle when it exists; `server` has its own (scripts/bundle-server.mjs),
// `emulator` is not bundled.
//
// Bundled: our own code (src/cli, src/core, the few src/contract constants the CLI uses) and the
// packages every command needs (commander, picocolors). Every other dependency stays a package
// import: they are loaded lazily, only by the commands that need them (prompts, the progress bar,
// the credential lock, the GPX path).
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED = new Set(['commander', 'picocolors']);

const pkg = JSON.parse(await readFile(new URL('package.json', new URL('..', import.meta.url)), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d));
// The verbs: every module the command table imports lazily.
const table = await readFile(new URL('src/cli/commands/table.ts', new URL('..', import.meta.url)), 'utf8');
const verbs = [...table.matchAll(/import\('\.\/([\w/-]+)\.js'\)/g)].map((m) => `src/cli/commands/${m[1]}.ts`);
if (verbs.length < 10) throw new Error(`bundle-cli: found only ${verbs.length} verbs in src/cli/commands/table.ts`);

// Built afresh: esbuild does not remove chunks an earlier build wrote.
await rm(new URL('dist/cli-bundle/', new URL('..', import.meta.url)), { recursive: true, force: true });

// Node's built-ins have no side effects on import: an import whose bindings the CLI never uses
// (core's cryptoRandom, which the CLI replaces) is dropped instead of loading the module.
const builtinsArePure = {
  name: 'builtins-are-pure',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, external: true, sideEffects: false }));
  },
};

// commander requires node:child_process at load for executable subcommands, which the CLI does not
// have: it gets a stand-in that loads the module only if spawn is ever called.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

await build({
  absWorkingDir: repo,
  entryPoints: ['src/cli/main.ts', ...verbs],
  outbase: 'src/cli',
  outdir: 'dist/cli-bundle',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [lazyChildProcessForCommander, builtinsArePure],
  // commander is CommonJS: its require() of node: built-ins needs a real require in an ES module.
  banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
