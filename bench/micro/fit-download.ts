// Micro-benchmark behind bench/findings.md's FIT download entry (issue 17, row 8): CPU per
// download of what the service does with Garmin's original ZIP once its bytes arrive — unzip the
// FIT entry as 16 KiB network chunks come in, then verify it — now (node:zlib's inflater,
// src/garmin/fit-zip.ts, and the byte-table CRC) against what it did before (fflate's streaming
// Unzip and the FIT SDK's CrcCalculator), on the emulator's own activity ZIPs, side by side in one
// process. `npx tsx bench/micro/fit-download.ts [count] [rounds]`; prints JSON (medians of the rounds).
import { CrcCalculator } from '@garmin/fitsdk';
import { Unzip, UnzipInflate } from 'fflate';
import { ActivityStore } from '../../src/emulator/data/activities.store.js';
import { drawAthlete } from '../../src/emulator/data/account-profile.js';
import { Prng } from '../../src/emulator/data/prng.js';
import { verifyFit } from '../../src/garmin/index.js';
import { FitZipExtractor } from '../../src/garmin/fit-zip.js';

const count = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 7);
const CHUNK = 16 * 1024;
const store = new ActivityStore(42, drawAthlete(new Prng(7)), count, Date.UTC(2026, 10, 1), count);
const zips = store.ids().map((id) => Buffer.from(store.zipBytes(id) as Uint8Array));

async function now(zip: Buffer): Promise<void> {
  const x = new FitZipExtractor();
  for (let i = 0; i < zip.length; i += CHUNK) await x.push(zip.subarray(i, i + CHUNK));
  verifyFit(await x.finish());
}

/** The previous path: fflate's streaming Unzip, the chunks concatenated, the SDK's CRC for the file CRC. */
async function before(zip: Buffer): Promise<void> {
  const parts: Uint8Array[] = [];
  const unzip = new Unzip((file) => {
    file.ondata = (err, data) => {
      if (err) throw err;
      parts.push(data);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let i = 0; i < zip.length; i += CHUNK) {
    unzip.push(zip.subarray(i, i + CHUNK), false);
    await Promise.resolve();
  }
  unzip.push(new Uint8Array(0), true);
  const fit = Buffer.concat(parts);
  const end = fit[0]! + fit.readUInt32LE(4);
  if (fit.readUInt16LE(end) !== CrcCalculator.calculateCRC(fit, 0, end)) throw new Error('CRC');
  verifyFit(fit); // the structure walk (and the new CRC once more: subtracted below)
}

async function cpuPerZip(fn: (z: Buffer) => Promise<void>): Promise<number> {
  const t0 = process.cpuUsage();
  for (const z of zips) await fn(z);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / zips.length;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
await cpuPerZip(now); // warm-up (JIT) for both
await cpuPerZip(before);
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < rounds; i++) {
  b.push(await cpuPerZip(before));
  a.push(await cpuPerZip(now));
}
const kib = (xs: Buffer[]) => Number((xs.reduce((s, z) => s + z.length, 0) / xs.length / 1024).toFixed(1));
process.stdout.write(
  `${JSON.stringify({ zips: zips.length, meanZipKiB: kib(zips), rounds, msPerDownload: { now: median(a), before: median(b) }, spread: { now: [Math.min(...a), Math.max(...a)], before: [Math.min(...b), Math.max(...b)] } })}\n`,
);
