// Row 5's profile (issue 17): the service under autocannon with `node --cpu-prof`, self time
// summed by package (or by our own room), to see where a GET /sync/jobs/{id} spends its CPU.
// With `cpu` as third argument there is no profiler: the service's CPU time (user+sys, from
// /proc/<pid>/stat) per 2xx response is printed instead, for several runs — a figure that moves
// far less with the machine's load than requests/s do.
// Usage: npx tsx bench/micro/api-profile.ts [seconds=8] [connections=100] [cpu [runs=3]]
// (API_PROFILE_SERVICE_FLAGS adds flags to the service's command line, API_PROFILE_NODE_FLAGS to
// node's, e.g. '--perf-basic-prof-only-functions' for `perf record -g -p <the printed pid>`.)
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import { tempDir } from '../lib/paths.js';
import { startServiceChild } from '../lib/service.js';
import { accessToken, startFixture } from '../rows/shared-fixture.js';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

function bucket(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' ? 'GC' : fn === '(program)' || fn === '(idle)' ? fn : `native ${fn}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const ours = /\/dist\/([^/]+)\//.exec(url);
  if (ours) return `ours: ${ours[1]}`;
  if (url.startsWith('node:')) return url.split('/')[0] as string;
  return url;
}

const seconds = Number(process.argv[2] ?? 8);
const connections = Number(process.argv[3] ?? 100);
const cpuOnly = process.argv[4] === 'cpu';
const runs = Number(process.argv[5] ?? 3);
/** More `garminsync server` flags, e.g. API_PROFILE_SERVICE_FLAGS='--log-level warn' to see what the request log costs. */
const serviceFlags = (process.env.API_PROFILE_SERVICE_FLAGS ?? '').split(' ').filter(Boolean);
const nodeFlags = (process.env.API_PROFILE_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/** utime + stime of a process in ms (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** write(2)-family system calls a process has made (/proc/<pid>/io syscw): sockets and the log's pipe. */
async function writeCalls(pid: number): Promise<number> {
  const io = await readFile(`/proc/${pid}/io`, 'utf8');
  return Number(/^syscw: (\d+)$/m.exec(io)?.[1] ?? Number.NaN);
}

const f = await startFixture(20);
const profDir = await tempDir('cpuprof');
try {
  const token = await accessToken(f);
  await f.session.service.stop();
  const svc = await startServiceChild({
    garminUrl: f.emu.url,
    dataDir: f.session.service.dataDir,
    nodeFlags: [...nodeFlags, ...(cpuOnly ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir])],
    flags: serviceFlags,
  });
  const url = `${svc.url}/api/v1/sync/jobs/${f.jobId}`;
  const headers = { authorization: `Bearer ${token}` };
  process.stdout.write(`service pid ${svc.pid}\n`);
  await autocannon({ url, connections, duration: 1, headers });
  if (cpuOnly) {
    for (let i = 0; i < runs; i++) {
      const before = await cpuMs(svc.pid);
      const writesBefore = await writeCalls(svc.pid);
      const r = await autocannon({ url, connections, duration: seconds, headers });
      const used = (await cpuMs(svc.pid)) - before;
      const writes = (await writeCalls(svc.pid)) - writesBefore;
      const ok = r['2xx'];
      process.stdout.write(
        `run ${i + 1}: ${(ok / r.duration).toFixed(0)} req/s, p99 ${r.latency.p99} ms, service CPU ${((1000 * used) / ok).toFixed(0)} µs per 2xx response (${used} ms for ${ok}), ${(writes / ok).toFixed(2)} write calls per response, non-2xx ${r.non2xx}\n`,
      );
    }
    await svc.stop();
  } else {
    await profileRun(url, headers, () => svc.stop());
  }
} finally {
  await f.stop();
}

async function profileRun(url: string, headers: Record<string, string>, stop: () => Promise<void>): Promise<void> {
  const r = await autocannon({ url, connections, duration: seconds, headers });
  process.stdout.write(
    `${(r['2xx'] / r.duration).toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}\n`,
  );
  await stop();
  const file = (await readdir(profDir)).find((n) => n.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const prof = JSON.parse(await readFile(path.join(profDir, file), 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const id of prof.samples) {
    const n = byId.get(id);
    if (!n) continue;
    const b = bucket(n.callFrame.url, n.callFrame.functionName);
    totals.set(b, (totals.get(b) ?? 0) + 1);
    const k = `${b} ${n.callFrame.functionName || '(anonymous)'}`;
    fns.set(k, (fns.get(k) ?? 0) + 1);
  }
  const busy = prof.samples.filter((id) => byId.get(id)?.callFrame.functionName !== '(idle)').length;
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, c]) => `  ${((100 * c) / busy).toFixed(1).padStart(5)} %  ${name}`);
  process.stdout.write(
    `self time of ${busy} busy samples, by package:\n${top(totals, 25).join('\n')}\nby function:\n${top(fns, 30).join('\n')}\n`,
  );
}
