// Rows 3–5 share one logged-in service over a small dataset on a fast emulator (no latency):
// they measure our own overheads, not Garmin's.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cli, cliSyncWait } from '../lib/cli.js';
import { startEmulatorChild, type EmulatorChild } from '../lib/emulator.js';
import { freshSession, type Session } from '../lib/session.js';

export interface Fixture {
  emu: EmulatorChild;
  session: Session;
  /** The completed backfill job, for GET /sync/jobs/{id}. */
  jobId: string;
  n: number;
  stop(): Promise<void>;
}

export async function startFixture(n: number): Promise<Fixture> {
  const emu = await startEmulatorChild({ activities: n });
  try {
    const session = await freshSession(emu.url);
    try {
      const first = await cliSyncWait(session.env, 120_000);
      const jobId = first.job.job_id;
      if (!jobId) throw new Error('`sync start --wait --json` printed no job_id');
      return {
        emu,
        session,
        jobId,
        n,
        stop: async () => {
          await session.service.stop();
          await emu.stop();
        },
      };
    } catch (err) {
      await session.service.stop();
      throw err;
    }
  } catch (err) {
    await emu.stop();
    throw err;
  }
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The CLI's current access token: `auth token` when it has it, else from its credential file. */
export async function accessToken(f: Fixture): Promise<string> {
  const r = await cli(f.session.env, ['auth', 'token']);
  const printed = r.stdout.trim();
  if (r.code === 0 && JWT.test(printed)) return printed;
  const dir = path.join(f.session.configDir, 'garminsync');
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => '');
    const m = text.match(/"access_token"\s*:\s*"([^"]+)"/);
    if (m?.[1] && JWT.test(m[1])) return m[1];
  }
  throw new Error('no access token: `garminsync auth token` failed and no credential file holds one');
}
