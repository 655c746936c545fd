// Micro-benchmark behind issue 17, row 8's transport entry: the Garmin client's CPU per request
// with Node's global fetch (undici) against transport/'s node:http fetch (own keep-alive agents,
// the client's default now), side by side in one process, alternating order each round. The
// emulator runs in a child process (`bin/garminsync.js emulator`, so build first), so
// process.cpuUsage counts the client only: the whole downloadActivityFit path (request, stream,
// unzip, verify — the same code on both sides except the transport) and a one-item activity list
// (a small JSON answer: the transport's share is larger). Both clients hold one logged-in token set.
// `npx tsx bench/micro/garmin-transport.ts [downloads] [rounds]`; prints JSON (medians of the rounds).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { systemClock } from '../../src/core/index.js';
import { endpointsForBaseUrl, GarminAuth, GarminConnect } from '../../src/garmin/index.js';
import type { GarminTokenSet } from '../../src/garmin/index.js';
import { createNodeFetch } from '../../src/transport/index.js';
import type { TransportFetch } from '../../src/transport/index.js';

const downloads = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 7);

const child = spawn(process.execPath, ['bin/garminsync.js', 'emulator', '--port', '0', '--json', '--activities', String(downloads)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))) as {
  url: string;
};
try {
  const endpoints = endpointsForBaseUrl(info.url);
  const login = await new GarminAuth({ endpoints, clock: systemClock }).startLogin({
    username: 'nomfa@example.com',
    password: 'demo-password',
  });
  if (login.status !== 'authenticated') throw new Error('login failed');
  let tokens: GarminTokenSet = login.tokens;
  const tokenStore = { load: async () => tokens, save: async (t: GarminTokenSet) => void (tokens = t) };
  const client = (fetch: TransportFetch) =>
    new GarminConnect({ endpoints, auth: new GarminAuth({ endpoints, clock: systemClock, fetch }), tokenStore, clock: systemClock, fetch });
  const sides: Record<string, GarminConnect> = {
    undici: client(globalThis.fetch),
    node: client(createNodeFetch({ ownKeepAliveAgents: true })),
  };
  const ids = (await sides.node!.listActivities({ start: 0, limit: downloads })).map((a) => a.activityId);

  async function cpu(api: GarminConnect, kind: 'download' | 'list'): Promise<number> {
    const t0 = process.cpuUsage();
    if (kind === 'download') for (const id of ids) await api.downloadActivityFit(id);
    else for (let i = 0; i < ids.length; i++) await api.listActivities({ start: i, limit: 1 });
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / 1000 / ids.length;
  }
  const runs: Record<string, Record<string, number[]>> = { download: { undici: [], node: [] }, list: { undici: [], node: [] } };
  for (const kind of ['download', 'list'] as const) for (const name of Object.keys(sides)) await cpu(sides[name]!, kind); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['undici', 'node'] : ['node', 'undici'];
    for (const kind of ['download', 'list'] as const) for (const name of order) runs[kind]![name]!.push(await cpu(sides[name]!, kind));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const round = (x: number) => Number(x.toFixed(3));
  const summary = Object.fromEntries(
    Object.entries(runs).map(([kind, by]) => [
      kind,
      Object.fromEntries(
        Object.entries(by).map(([name, xs]) => [
          name,
          { msPerRequest: round(median(xs)), spread: [round(Math.min(...xs)), round(Math.max(...xs))] },
        ]),
      ),
    ]),
  );
  process.stdout.write(`${JSON.stringify({ requestsPerRound: ids.length, rounds, ...summary })}\n`);
} finally {
  child.kill('SIGTERM');
}
