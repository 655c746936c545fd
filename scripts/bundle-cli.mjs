// Part of `npm run build` (after tsc): bundles the CLI into dist/cli-bundle/ with esbuild, so that a
// command loads one or a handful of files instead of ~40 ES modules plus commander's CommonJS files
// (issue 17, row 4). Two layouts, both from the same sources:
// - dist/cli-bundle/verbs/<noun>/<verb>.js: one self-contained file per verb of the command table
//   (main, program, commander and that verb; every other verb is a stub that throws). A command
//   that names a noun and a verb runs from it: one file to resolve, read and compile instead of ~16
//   (sync status: ~12 ms less CPU and wall, issue 17 fourth session). bin/garminsync.js picks it
//   from argv's first two words, the same words program.ts defines the verb from, so the stubs are
//   never reached; exactly one of the two layouts is loaded in a process, so no module-level state
//   exists twice.
// - dist/cli-bundle/main.js: everything else (help, completion, export, coverage, man pages, unknown
//   commands): every verb its own lazily imported file (commands/<noun>/<verb>.js), code two of
//   them share in chunks/.
// bin/garminsync.js runs the bundle when it exists; `server` has its own (scripts/bundle-server.mjs),
// `emulator` is not bundled.
//
// Bundled: our own code (src/cli, src/core, the few src/contract constants the CLI uses) and the
// packages every command needs (commander, picocolors). Every other dependency stays a package
// import: they are loaded lazily, only by the commands that need them (prompts, the progress bar,
// the credential lock, the GPX path).
import { readFile, rm } from 'node:fs/promises';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { makeBundleAscii } from './ascii-bundle.mjs';

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

const common = {
  absWorkingDir: repo,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // commander is CommonJS: its require() of node: built-ins needs a real require in an ES module.
  banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  // ASCII escapes in literals and identifiers; makeBundleAscii relies on it for comments.
  charset: 'ascii',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts', ...verbs],
  outbase: 'src/cli',
  outdir: 'dist/cli-bundle',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  plugins: [lazyChildProcessForCommander, builtinsArePure],
});

// The per-verb files: main.ts as the entry, the command table's import of this verb bundled, the
// table's imports of the other verbs replaced by a stub (bundled, they would pull every verb's
// static package imports, e.g. proper-lockfile, into every command's start-up).
const onlyVerb = (words, module) => ({
  name: 'only-this-verb',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\/[\w-]+\.js$/ }, (args) =>
      args.importer.endsWith(`src${sep}cli${sep}commands${sep}table.ts`) && args.path !== `./${module}.js`
        ? { path: args.path, namespace: 'other-verb' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'other-verb' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`garminsync: dist/cli-bundle/verbs/${words}.js holds only that verb, not ${args.path}; bin/garminsync.js routes by the first two words`)});`,
      loader: 'js',
    }));
  },
});
// The table's nouns and verbs as tsc compiled them (npm run build runs tsc first): words and module.
const { COMMAND_TABLE } = await import(new URL('dist/cli/commands/table.js', new URL('..', import.meta.url)).href);
const routed = COMMAND_TABLE.flatMap((noun) =>
  noun.verbs.map((v) => {
    const module = /import\(['"]\.\/([\w/-]+)\.js['"]\)/.exec(v.load.toString())?.[1];
    if (!module) throw new Error(`bundle-cli: cannot tell the module of ${noun.name} ${v.name}`);
    return { words: `${noun.name}/${v.name}`, module };
  }),
);
await Promise.all(
  routed.map(({ words, module }) =>
    build({
      ...common,
      entryPoints: ['src/cli/main.ts'],
      outfile: `dist/cli-bundle/verbs/${words}.js`,
      plugins: [lazyChildProcessForCommander, builtinsArePure, onlyVerb(words, module)],
    }),
  ),
);
await makeBundleAscii(fileURLToPath(new URL('dist/cli-bundle/', new URL('..', import.meta.url))));
