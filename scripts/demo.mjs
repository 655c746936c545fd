#!/usr/bin/env node
// `npm run demo`: the whole system on this machine, with nothing but Node.
// Builds garminsync (saying so: the first build takes about half a minute), starts the Garmin Connect emulator and the sync service on temporary directories, logs in
// demo@example.com with MFA through the CLI, syncs activities, health and workouts with progress,
// shows what was synced, and cleans up every process and directory — also on Ctrl-C or failure.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/garminsync.js', import.meta.url));
const USER = 'demo@example.com';
const children = new Set();
let root;
let cleaning;
let stopping;

const color = process.stderr.isTTY && !process.env.NO_COLOR;
const bold = (t) => (color ? `\x1b[1m${t}\x1b[0m` : t);
const dim = (t) => (color ? `\x1b[2m${t}\x1b[0m` : t);
const say = (line = '') => process.stderr.write(`${line}\n`);
const step = (text) => say(`\n${bold(`== ${text}`)}`);

/** Starts a long-running part and resolves with its first stdout line (where it prints its URL). */
function startPart(name, args) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const errLines = [];
  createInterface({ input: child.stderr }).on('line', (l) => errLines.push(l));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => {
      children.delete(child);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${errLines.slice(-10).join('\n')}`));
    });
  });
}

/** Builds dist/ (incremental: seconds when nothing changed), telling the user while it runs. */
async function build() {
  step('Building garminsync (TypeScript → dist/; about 30 s the first time, seconds after that)');
  const started = Date.now();
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const project = fileURLToPath(new URL('../tsconfig.build.json', import.meta.url));
  const child = spawn(process.execPath, [tsc, '-p', project], { stdio: ['ignore', 'inherit', 'inherit'] });
  children.add(child);
  const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1))));
  children.delete(child);
  if (code !== 0) throw new Error(`the build failed (exit ${code}); its errors are above`);
  // …and the CLI and server bundles bin/garminsync.js runs (npm run build's other steps; seconds).
  await import('./bundle-cli.mjs');
  await import('./bundle-server.mjs');
  say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Runs the CLI like a person would; stderr (prompts, progress bars) goes straight to the terminal.
 * `read`: the demo reads stdout itself (--json) — such a command is not echoed as if you saw its
 * output; the demo prints what it read from it instead.
 */
function garminsync(args, { env = {}, input, capture = false, read = false } = {}) {
  if (!read) say(dim(`$ garminsync ${args.join(' ')}`));
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: [input === undefined ? 'ignore' : 'pipe', capture || read ? 'pipe' : 'inherit', 'inherit'],
    env: { ...process.env, ...cliEnv, ...env },
  });
  children.add(child);
  if (input !== undefined) child.stdin.end(input);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: out });
    });
  });
}

let cliEnv = {};

async function cleanup() {
  cleaning ??= (async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      [...children].map(
        (c) =>
          new Promise((resolve) => {
            const t = setTimeout(() => {
              c.kill('SIGKILL');
              resolve();
            }, 5000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
    if (root) await rm(root, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = sig;
    say(`\nStopping the demo (${sig}); cleaning up…`);
    // Killing the parts makes main() return; the finally below finishes the cleanup and exits.
    void cleanup();
  });
}

async function main() {
  await build();
  root = await mkdtemp(join(tmpdir(), 'garminsync-demo-'));
  const today = new Date();
  const from = new Date(today.getTime() - 13 * 86_400_000).toISOString().slice(0, 10);

  step('Starting the Garmin Connect emulator (plays garmin.com on one local port)');
  const emu = JSON.parse(
    await startPart('emulator', ['emulator', '--port', '0', '--json', '--activities', '60', '--days', '14', '--workouts', '5']),
  );
  say(`emulator: ${emu.url}  (accounts: ${emu.accounts.map((a) => a.email).join(', ')})`);

  step('Starting the sync service (SQLite in a temporary data dir)');
  const line = await startPart('server', [
    'server',
    '--port',
    '0',
    '--data-dir',
    join(root, 'data'),
    '--garmin-url',
    emu.url,
    '--log-level',
    'warn',
  ]);
  const server = /(https?:\/\/\S+)/.exec(line)?.[1];
  if (!server) throw new Error(`the server did not print its URL: ${line}`);
  say(`service: ${server}`);
  // The CLI keeps its credentials in a temporary config dir, never in your own ~/.config.
  cliEnv = { XDG_CONFIG_HOME: join(root, 'config'), GARMINSYNC_SERVER: server, GARMINSYNC_KEYRING: 'off' };

  step(`Logging in as ${USER} (password on stdin; Garmin asks for an MFA code)`);
  const login = await garminsync(['auth', 'login', '--username', USER, '--password-stdin'], { input: 'demo-password\n', capture: true });
  if (login.code !== 10) throw new Error(`expected the login to ask for an MFA code (exit 10), got exit ${login.code}`);
  const challenge = login.stdout.trim();
  say('A real user would now read the code from their e-mail; the demo reads it from the emulator\'s "outbox".');
  const res = await globalThis.fetch(`${emu.url}/__emulator/mfa-code?username=${encodeURIComponent(USER)}`);
  const { code } = await res.json();
  // The code goes through the environment, not argv, so it does not show up in `ps`.
  const mfa = await garminsync(['auth', 'mfa', '--challenge', challenge, '--username', USER], { env: { GARMINSYNC_MFA_CODE: code } });
  if (mfa.code !== 0) throw new Error(`auth mfa failed with exit ${mfa.code}`);
  await garminsync(['auth', 'status']);

  step('Syncing activities, health and workouts of the last two weeks');
  const sync = await garminsync(['sync', 'start', '--type', 'all', '--from', from, '--wait']);
  if (sync.code !== 0) throw new Error(`the sync ended with exit ${sync.code}`);

  step('What was synced');
  await garminsync(['activities', 'list', '--limit', '10']);
  const all = await garminsync(['activities', 'list', '--limit', '1000', '--json'], { read: true });
  const status = await garminsync(['sync', 'status', '--json'], { read: true });
  const jobs = JSON.parse(status.stdout).jobs;
  const count = (type) => jobs.find((j) => j.sync_type === type)?.processed_items ?? 0;
  say(dim('\n(counted from `garminsync activities list --json` and `garminsync sync status --json`)'));
  say(
    `In the service now: ${JSON.parse(all.stdout).items.length} activities (with their original FIT files), ${count('health')} days of health data, ${count('workouts')} workouts.`,
  );
  say('Demo finished. Against the real Garmin: `garminsync server` then `garminsync auth login` (see README).');
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  if (!stopping) say(`\nThe demo failed: ${e instanceof Error ? e.message : String(e)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
if (stopping) say('Stopped; every process and temporary directory of the demo is gone.');
process.exit(stopping ? 130 : exitCode);
