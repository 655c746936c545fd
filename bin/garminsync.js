#!/usr/bin/env node
// The single entry point. It loads as little as possible: `--version` reads package.json only,
// `server` and `emulator` load their own composition roots, everything else loads the CLI. The CLI
// and the server run from the bundles `npm run build` makes (dist/cli-bundle/: one file for a
// `<noun> <verb>` command, a few for everything else, instead of ~40 modules; dist/server-bundle/:
// one file instead of ~2,700), or tsc's output when there is no bundle.
import { existsSync, readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const dist = new URL('../dist/', import.meta.url);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}

const serverBundle = new URL('server-bundle/main.js', dist);
const entries = {
  server: existsSync(serverBundle) ? serverBundle : new URL('server/main.js', dist),
  emulator: new URL('emulator/main.js', dist),
};

// The first two words of argv that are not options (`--server` takes a value), as program.ts's
// commandWords finds them: a command of the table has a self-contained bundle of its own
// (scripts/bundle-cli.mjs), which defines exactly that verb.
const words = [];
for (let i = 0; i < argv.length && words.length < 2; i++) {
  if (argv[i] === '--') break;
  if (argv[i].startsWith('-')) {
    if (argv[i] === '--server') i++;
    continue;
  }
  words.push(argv[i]);
}
const verbBundle =
  words.length === 2 && words.every((w) => /^[a-z][a-z-]*$/.test(w)) ? new URL(`cli-bundle/verbs/${words.join('/')}.js`, dist) : undefined;
const bundle = new URL('cli-bundle/main.js', dist);
const cli = verbBundle && existsSync(verbBundle) ? verbBundle : existsSync(bundle) ? bundle : new URL('cli/main.js', dist);

const first = argv[0];
const entry = Object.hasOwn(entries, first ?? '') && !argv.includes('--help') && !argv.includes('-h') ? entries[first] : cli;

// `server --help` / `emulator --help` reach the CLI (which lists them); the CLI hands them back to
// their own entry points through these launchers, so that it never imports those rooms itself.
const launchers = Object.fromEntries(
  Object.entries(entries).map(([name, url]) => [name, async (args) => (await import(url.href)).run(args)]),
);

try {
  const mod = await import(entry.href);
  const code = await (entry === entries[first] ? mod.run(argv.slice(1)) : mod.main(argv, launchers));
  process.exitCode = typeof code === 'number' ? code : 0;
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    process.stderr.write('garminsync is not built yet: run `npm run build` (npm ci does it for you).\n');
    process.exitCode = 1;
  } else {
    throw err;
  }
}
