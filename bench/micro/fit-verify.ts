// Micro-benchmark behind bench/findings.md's FIT verification entry: CPU per FIT of the
// service's `verifyFit` (CRC + record structure) against the full @garmin/fitsdk decode it
// replaced, on the emulator's own activity FITs, side by side in one process.
// `npx tsx bench/micro/fit-verify.ts [count] [rounds]`; prints JSON (medians of the rounds).
import { Decoder, Stream } from '@garmin/fitsdk';
import { ActivityStore } from '../../src/emulator/data/activities.store.js';
import { drawAthlete } from '../../src/emulator/data/account-profile.js';
import { Prng } from '../../src/emulator/data/prng.js';
import { verifyFit } from '../../src/garmin/index.js';

const count = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 7);
const store = new ActivityStore(42, drawAthlete(new Prng(7)), count, Date.UTC(2026, 10, 1), count);
const fits = store.ids().map((id) => Buffer.from(store.fitBytes(id) as Uint8Array));

function fullDecode(bytes: Buffer): void {
  verifyFit(bytes);
  const { errors } = new Decoder(Stream.fromByteArray(bytes)).read({
    expandSubFields: false,
    expandComponents: false,
    applyScaleAndOffset: false,
    convertTypesToStrings: false,
    convertDateTimesToDates: false,
    mergeHeartRates: false,
  });
  if (errors.length > 0) throw new Error(String(errors[0]));
}

/** CPU (user + system) per FIT in ms for one pass over every FIT. */
function cpuPerFit(fn: (b: Buffer) => void): number {
  const t0 = process.cpuUsage();
  for (const f of fits) fn(f);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / fits.length;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
cpuPerFit(verifyFit); // warm-up (JIT) for both
cpuPerFit(fullDecode);
const now: number[] = [];
const before: number[] = [];
for (let i = 0; i < rounds; i++) {
  before.push(cpuPerFit(fullDecode));
  now.push(cpuPerFit(verifyFit));
}
const kib = fits.reduce((a, f) => a + f.length, 0) / fits.length / 1024;
process.stdout.write(
  `${JSON.stringify({ fits: fits.length, meanKiB: Number(kib.toFixed(1)), rounds, msPerFit: { crcAndStructure: median(now), withFullDecode: median(before) }, spread: { crcAndStructure: [Math.min(...now), Math.max(...now)], withFullDecode: [Math.min(...before), Math.max(...before)] } })}\n`,
);
