import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrcCalculator, Decoder, Encoder, Profile, Stream, type FileIdMesg } from '@garmin/fitsdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../src/emulator/archive/archive.writer.js';
import { fitInspector, verifyFit, type FitFacts } from '../../src/garmin/index.js';

const inspectFit = await fitInspector();
import { entryKind, isFitContainer } from '../../src/sync/archive/archive-layout.js';
import { walkArchive } from '../../src/sync/archive/archive-zip.js';

/**
 * The archive importer learns what a FIT file is from `inspectFit`, a walk of the records that
 * replaced a full @garmin/fitsdk decode. Held here to that decode — what the importer computed
 * before (first file_id's `type`, first session's `startTime`) — over every FIT of emulator
 * archives for several seeds (activity files and the monitoring, sleep and stub files the writer
 * adds), over damaged copies of them (truncated, bytes changed, chained), and over generated
 * record streams the SDK's Encoder never writes (big-endian definitions, developer fields, arrays,
 * every base type, compressed-timestamp headers, unknown base types): the same values, so the
 * importer takes the same decision (skip as another FIT, or verify and keep).
 */

/** What the importer read before: a full SDK decode, messages kept up to a decode error. */
function sdkFacts(fit: Uint8Array): FitFacts & { errors: string[] } {
  const { messages, errors } = new Decoder(Stream.fromByteArray(fit)).read({
    expandComponents: false,
    expandSubFields: false,
    mergeHeartRates: false,
  });
  const start = (messages.sessionMesgs as { startTime?: unknown }[] | undefined)?.[0]?.startTime;
  const type = (messages.fileIdMesgs as { type?: FitFacts['type'] }[] | undefined)?.[0]?.type;
  return { type, startMs: start instanceof Date ? start.getTime() : undefined, errors: errors.map(String) };
}

type Verdict = 'other' | 'invalid' | `kept at ${number}` | 'kept, no start';
/** The importer's decision on one FIT file (archive.syncer.ts): skip it, or verify it and keep it. */
function verdict(facts: FitFacts, fit: Uint8Array): Verdict {
  if (facts.type !== undefined && facts.type !== 'activity') return 'other';
  try {
    verifyFit(Buffer.from(fit));
  } catch {
    return 'invalid';
  }
  return facts.startMs === undefined ? 'kept, no start' : `kept at ${facts.startMs}`;
}

const tally = new Map<Verdict | string, number>();
/** Expects the walk to read what the SDK reads; returns the importer's verdict. */
const sdkCrashes = new Map<string, number>();
function expectSameAsSdk(fit: Uint8Array, what: string): Verdict {
  const facts = inspectFit(fit);
  const sdk = sdkFacts(fit);
  for (const e of sdk.errors) if (e.startsWith('TypeError')) sdkCrashes.set(e, (sdkCrashes.get(e) ?? 0) + 1);
  expect(facts.type, `${what}: file type`).toBe(sdk.type);
  // The session is not looked for once file_id says the file is no activity (the importer skips it).
  expect(facts.startMs, `${what}: session start`).toBe(facts.type === undefined || facts.type === 'activity' ? sdk.startMs : undefined);
  const v = verdict(facts, fit);
  expect(v, what).toBe(verdict({ type: sdk.type, startMs: sdk.startMs }, fit));
  const key = v.startsWith('kept at') ? 'kept with a start' : v;
  tally.set(key, (tally.get(key) ?? 0) + 1);
  return v;
}

function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Copies of a FIT with a few bytes changed: where file_id lives, where the session lives, anywhere. */
function damagedCopies(fit: Buffer, r: (n: number) => number, count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const copy = Buffer.from(fit);
    for (let e = 0, edits = 1 + r(3); e < edits; e++) {
      const zone = r(3);
      const at = zone === 0 ? r(Math.min(160, copy.length)) : zone === 1 ? copy.length - 1 - r(Math.min(400, copy.length)) : r(copy.length);
      copy[at] = r(4) === 0 ? copy[at]! ^ (1 << r(8)) : r(256);
    }
    out.push(copy);
  }
  return out;
}

const SEEDS = [1, 2, 3];
const archives: { seed: number; fits: { path: string; bytes: Buffer }[] }[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-fit-inspect-'));
  for (const seed of SEEDS) {
    const file = join(dir, `export-${seed}.zip`);
    await writeArchive({
      seed,
      activities: 14,
      days: 12,
      workouts: 1,
      endDate: '2026-10-31',
      account: 'demo@example.com',
      partSize: 20,
      out: file,
      corrupt: ['activity-fit'],
    });
    const fits: { path: string; bytes: Buffer }[] = [];
    for await (const e of walkArchive(file, { descend: isFitContainer, wanted: (p) => entryKind(p) === 'fit', tmpDir: dir }))
      fits.push({ path: e.path, bytes: await e.read(64 << 20) });
    archives.push({ seed, fits });
  }
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('inspectFit reads what a full SDK decode reads', () => {
  it('on every FIT of emulator archives for several seeds (activities, monitoring, sleep and stub files, the writer’s corrupt one)', () => {
    tally.clear();
    for (const { seed, fits } of archives) for (const f of fits) expectSameAsSdk(f.bytes, `seed ${seed} ${f.path}`);
    // All four decisions occur: 14 activities a seed, one of them corrupt, and the other FITs.
    expect(tally.get('kept with a start')).toBe(SEEDS.length * 13);
    expect(tally.get('invalid')).toBe(SEEDS.length);
    expect(tally.get('other')).toBeGreaterThanOrEqual(SEEDS.length * 12);
  });

  it('on damaged copies: truncated anywhere, bytes changed, chained to another file', () => {
    tally.clear();
    let lostType = 0;
    const r = prng(16);
    for (const { seed, fits } of archives) {
      const activity = fits.find((f) => verdict(inspectFit(f.bytes), f.bytes).startsWith('kept at'))!.bytes;
      const others = fits.filter((f) => inspectFit(f.bytes).type !== 'activity').map((f) => f.bytes);
      // Truncations: every length of the first bytes (header, file_id), then spread over the rest.
      for (const fit of [activity, others[0]!, others[others.length - 1]!]) {
        for (let len = 0; len < Math.min(fit.length, 120); len++) expectSameAsSdk(fit.subarray(0, len), `seed ${seed} cut at ${len}`);
        for (let i = 0; i < 12; i++) {
          const len = 120 + r(Math.max(1, fit.length - 120));
          expectSameAsSdk(fit.subarray(0, len), `seed ${seed} cut at ${len}`);
        }
      }
      const damaged = [...damagedCopies(activity, r, 40), ...others.slice(0, 6).flatMap((other) => damagedCopies(other, r, 25))];
      for (const [i, copy] of damaged.entries()) {
        expectSameAsSdk(copy, `seed ${seed} damaged copy #${i}`);
        if (inspectFit(copy).type === undefined) lostType++;
      }
      // Chained: a FIT after another; the second is read only when the first one's CRC holds.
      expectSameAsSdk(Buffer.concat([others[0]!, activity]), `seed ${seed} other + activity`);
      // An activity file_id without a session, then an activity: its session counts only past an intact CRC.
      const enc = new Encoder();
      enc.onMesg(Profile.MesgNum.FILE_ID!, {
        type: 'activity',
        manufacturer: 'garmin',
        product: 1,
        timeCreated: new Date(Date.UTC(2026, 0, 1)),
      } as FileIdMesg);
      const head = Buffer.from(enc.close());
      expect(expectSameAsSdk(Buffer.concat([head, activity]), `seed ${seed} head + activity`)).toBe(
        `kept at ${inspectFit(activity).startMs}`,
      );
      head[head.length - 1] = head[head.length - 1]! ^ 0xff;
      expectSameAsSdk(Buffer.concat([head, activity]), `seed ${seed} damaged head + activity`);
      expect(inspectFit(Buffer.concat([head, activity])).startMs).toBeUndefined();
    }
    // Damage leaves a file skipped (its file_id intact: another FIT) or refused by verification.
    for (const v of ['other', 'invalid']) expect(tally.get(v), v).toBeGreaterThan(100);
    // Some damage reached file_id itself, where the two reads could part.
    expect(lostType).toBeGreaterThan(20);
  }, 120_000);

  it('on generated record streams (endianness, developer fields, arrays, every base type, compressed headers, chained files)', () => {
    tally.clear();
    sdkCrashes.clear();
    const types = new Map<unknown, number>();
    for (let seed = 0; seed < 6000; seed++) {
      const fit = generatedFit(seed);
      expectSameAsSdk(fit, `generated #${seed}`);
      const t = inspectFit(fit).type;
      types.set(typeof t, (types.get(typeof t) ?? 0) + 1);
    }
    expect(tally.get('other')).toBeGreaterThan(1000);
    expect(tally.get('invalid')).toBeGreaterThan(1000);
    expect(tally.get('kept, no start')).toBeGreaterThan(500);
    expect(tally.get('kept with a start')).toBeGreaterThan(50);
    // The file type came as a profile name, as a number the profile does not name, and was missing.
    for (const t of ['string', 'number', 'undefined']) expect(types.get(t), t).toBeGreaterThan(50);
    // The SDK's decode threw where the walk must stop too: a message without its developer data
    // index, an accumulated field after the field feeding it, a 64-bit dateTime.
    const crashes = [...sdkCrashes].map(([e, n]) => `${n} × ${e}`).join('; ');
    expect(crashes).toMatch(/reading 'rawFieldValue'/);
    expect(crashes).toMatch(/reading '[01]'/);
    expect(crashes).toMatch(/Cannot mix BigInt/);
  }, 120_000);
});

// Base types 0x00–0x10 with their sizes, and an unknown one (0x11) the SDK refuses.
const BASE_SIZES = [1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8, 1];

function seal(data: number[]): Buffer {
  const fit = Buffer.alloc(14 + data.length + 2);
  fit.writeUInt8(14, 0);
  fit.writeUInt8(0x20, 1);
  fit.writeUInt16LE(2199, 2);
  fit.writeUInt32LE(data.length, 4);
  fit.write('.FIT', 8, 'latin1');
  fit.writeUInt16LE(CrcCalculator.calculateCRC(fit, 0, 12), 12);
  Buffer.from(data).copy(fit, 14);
  fit.writeUInt16LE(CrcCalculator.calculateCRC(fit, 0, 14 + data.length), 14 + data.length);
  return fit;
}

/** A value's bytes for a field: often the base type's invalid pattern, 4 (activity), a plausible time or a short string. */
function fieldBytes(r: (n: number) => number, baseType: number, size: number, le: boolean): number[] {
  const unit = BASE_SIZES[baseType]!;
  const out: number[] = [];
  if (baseType === 0x07) {
    const words = ['4', 'activity', '', '\u0000x', '32', '1100000000'];
    const s = Buffer.from(words[r(words.length)]!, 'latin1');
    for (let i = 0; i < size; i++) out.push(i < s.length ? s[i]! : 0);
    return out;
  }
  for (let k = 0; k + unit <= size; k += unit) {
    const pick = r(5);
    const b = Buffer.alloc(unit);
    if (pick === 0) b.fill(r(2) ? 0xff : 0);
    else if (pick === 1 && unit <= 4) b.writeUIntBE(4, 0, unit);
    else if (pick === 1 && unit === 8) b.writeBigUInt64BE(4n);
    else if (pick === 2 && unit === 4 && baseType !== 0x08) b.writeUInt32BE(1_100_000_000 + r(1000));
    else if (pick === 2 && baseType === 0x08) b.writeFloatBE(4);
    else if (pick === 2 && baseType === 0x09) b.writeDoubleBE(1_100_000_000.5);
    else for (let i = 0; i < unit; i++) b[i] = r(256);
    if (pick === 0 && (baseType === 0x01 || baseType === 0x03 || baseType === 0x05 || baseType === 0x0e)) b[0] = 0x7f;
    out.push(...(le ? [...b].reverse() : [...b]));
  }
  while (out.length < size) out.push(r(256));
  return out;
}

function generatedFit(seed: number): Buffer {
  const r = prng(seed);
  const files: Buffer[] = [];
  for (let f = 0, nFiles = 1 + (r(4) === 0 ? 1 : 0); f < nFiles; f++) {
    // Mostly a file_id first, as devices write it (type activity, monitoring_b, sleep or anything).
    const data: number[] = r(4) === 0 ? [] : [0x40, 0, 0, 0, 0, 1, 0, 1, 0, 0, [4, 4, 32, 49, 0xff, r(256)][r(6)]!];
    const defs = new Map<number, { fields: [number, number, number][]; le: boolean; dev: number }>();
    for (let i = 0, n = 2 + r(12); i < n; i++) {
      const local = r(3) === 0 ? r(16) : r(4);
      if (!defs.has(local) || r(3) === 0) {
        const global = [0, 18, 0, 18, 20, 20, 132, 206, 207, 0xff01][r(10)]!;
        const le = r(3) !== 0;
        const fields: [number, number, number][] = [];
        for (let k = 0, nf = r(5); k < nf; k++) {
          const baseType = r(4) === 0 ? r(BASE_SIZES.length) : [0x00, 0x02, 0x04, 0x06, 0x86 & 0x1f][r(5)]!;
          const unit = BASE_SIZES[baseType]!;
          const size = r(5) === 0 ? unit * (2 + r(2)) : r(10) === 0 ? unit + 1 : unit;
          fields.push([[0, 2, 0, 2, 1, 3, 5, 8, 9, 10, 18, 19, 253, 240][r(14)]!, size, baseType | (unit > 1 ? 0x80 : 0)]);
        }
        const dev = r(4) === 0 ? 1 + r(2) : 0;
        const devSizes = Array.from({ length: dev }, () => 1 + r(6));
        const g = le ? [global & 0xff, global >> 8] : [global >> 8, global & 0xff];
        data.push(0x40 | (dev ? 0x20 : 0) | local, 0, le ? 0 : 1, ...g, fields.length, ...fields.flat());
        if (dev) data.push(dev, ...devSizes.flatMap((s, k) => [k, s, 0]));
        defs.set(local, { fields, le, dev: devSizes.reduce((a, b) => a + b, 0) });
        continue;
      }
      const d = defs.get(local)!;
      const body = d.fields.flatMap(([, size, bt]) => fieldBytes(r, bt & 0x1f, size, d.le));
      for (let e = 0; e < d.dev; e++) body.push(r(256));
      data.push(local < 4 && r(25) === 0 ? 0x80 | (local << 5) | r(32) : local, ...body);
    }
    files.push(seal(data));
  }
  const fit = Buffer.concat(files);
  // Now and then a damaged copy: a cut or a changed byte.
  if (r(6) === 0) fit[r(fit.length)] = r(256);
  return r(8) === 0 ? fit.subarray(0, r(fit.length + 1)) : fit;
}
