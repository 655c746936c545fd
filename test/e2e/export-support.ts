/**
 * What the export e2e tests compare against, computed independently of the export code: the
 * emulator's original FIT bytes (fetched with our own Garmin client, not through the service),
 * the FIT's position records (decoded with @garmin/fitsdk here), and xmllint's verdict on a GPX.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Decoder, Stream } from '@garmin/fitsdk';
import { systemClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { GarminAuth, GarminConnect, endpointsForBaseUrl, type GarminTokenSet } from '../../src/garmin/index.js';
import { REPO } from './harness.js';

const run = promisify(execFile);
export const GPX_XSD = join(REPO, '..', 'shared', 'schemas', 'gpx-1.1.xsd');

/** demo@example.com's activities and workouts as the emulator serves them, with their FIT bytes. */
export async function emulatorOriginals(emu: RunningEmulator): Promise<{ activities: Map<string, Buffer>; workouts: Map<string, Buffer> }> {
  const endpoints = endpointsForBaseUrl(emu.url);
  const auth = new GarminAuth({ endpoints, clock: systemClock });
  const out = await auth.startLogin({ username: 'demo@example.com', password: 'demo-password' });
  if (out.status !== 'mfa_required') throw new Error('expected an MFA login');
  let tokens: GarminTokenSet = (await auth.completeMfa(out.state, emu.lastMfaCode('demo@example.com')!)).tokens;
  const connect = new GarminConnect({
    endpoints,
    auth,
    clock: systemClock,
    tokenStore: { load: async () => tokens, save: async (t) => void (tokens = t) },
  });
  const activities = new Map<string, Buffer>();
  for (const a of await connect.listActivities({ start: 0, limit: 1000 }))
    activities.set(String(a.activityId), await connect.downloadActivityFit(a.activityId));
  const workouts = new Map<string, Buffer>();
  for (const w of await connect.listWorkouts({ start: 0, limit: 1000 }))
    workouts.set(String(w.workoutId), await connect.downloadWorkoutFit(w.workoutId));
  return { activities, workouts };
}

/** The FIT's record messages that have a position. */
export function positionRecords(fit: Buffer): number {
  const { messages } = new Decoder(Stream.fromBuffer(fit)).read();
  const records = (messages as { recordMesgs?: { positionLat?: number; positionLong?: number }[] }).recordMesgs ?? [];
  return records.filter((r) => typeof r.positionLat === 'number' && typeof r.positionLong === 'number').length;
}

/** xmllint against the GPX 1.1 schema: '' when valid, else its complaint. */
export async function gpxSchemaErrors(files: string[]): Promise<string> {
  if (files.length === 0) return '';
  try {
    await run('xmllint', ['--noout', '--schema', GPX_XSD, ...files], { maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (e) {
    return (e as { stderr?: string }).stderr ?? String(e);
  }
}

/** Every file under `dir` (relative, with /), sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
  return out.sort();
}
