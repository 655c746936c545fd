// Rows 3–5 share one logged-in service over a small dataset on a fast emulator (no latency):
// they measure our own overheads, not Garmin's.
import { cliAccessToken, cliSyncWait } from '../lib/cli.js';
import { startEmulatorChild, type EmulatorChild } from '../lib/emulator.js';
import { rateBudgetSetting } from '../lib/service.js';
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
    // The budget is not what rows 3–5 measure: keep it from slowing the initial backfill.
    const budget = await rateBudgetSetting();
    const session = await freshSession(emu.url, budget ? budget.flags(1000) : [], budget ? budget.env(1000) : {});
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

/** The CLI's current access token (for autocannon's Authorization header). */
export function accessToken(f: Fixture): Promise<string> {
  return cliAccessToken(f.session.env, f.session.configDir);
}
