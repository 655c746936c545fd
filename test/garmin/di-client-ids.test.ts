import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, type FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { DI_CLIENT_IDS, type GarminTokenSet } from '../../src/garmin/index.js';
import { NOMFA, makeAuth, startEmu } from './helpers.js';

const [Q2, Q4, ANDROID, IOS] = DI_CLIENT_IDS;

/** Issue 13: the DI client-id list is data, tried in order; a refresh uses the id its tokens were issued with. */
describe('DI OAuth client ids', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  async function loggedIn(clock: FakeClock, opts: Parameters<typeof makeAuth>[2] = {}) {
    const auth = makeAuth(emu!, clock, opts);
    const out = await auth.startLogin(NOMFA);
    if (out.status !== 'authenticated') throw new Error(`login: ${out.status}`);
    return { auth, tokens: out.tokens };
  }

  it('the exchange falls over to the next id when Garmin rejects one, and the tokens remember the id that worked', async () => {
    const started = await startEmu();
    emu = started.emu;
    // The emulator retired …_2024Q4 already; rotate …_2025Q2 out too.
    emu.setFaults({ rejectDiClientIds: [Q2!] });
    const { tokens } = await loggedIn(started.clock);
    expect(tokens.clientId).toBe(ANDROID);
    expect(emu.stats().diTokens).toEqual({ [`exchange ${Q2} 401`]: 1, [`exchange ${Q4} 401`]: 1, [`exchange ${ANDROID} 200`]: 1 });
  });

  it('a configured list is tried exactly as given', async () => {
    const started = await startEmu();
    emu = started.emu;
    const { tokens } = await loggedIn(started.clock, { diClientIds: [IOS!, Q2!] });
    expect(tokens.clientId).toBe(IOS);
    expect(emu.stats().diTokens).toEqual({ [`exchange ${IOS} 200`]: 1 });
    expect(() => makeAuth(emu!, started.clock, { diClientIds: [] })).toThrow(/at least one DI client id/);
  });

  it('a refresh keeps its own client id, even when an earlier id of the list is accepted again', async () => {
    const started = await startEmu();
    emu = started.emu;
    emu.setFaults({ rejectDiClientIds: [Q2!] });
    const { auth, tokens } = await loggedIn(started.clock);
    emu.setFaults({ rejectDiClientIds: [] });
    emu.resetStats();
    let t: GarminTokenSet = tokens;
    for (let i = 0; i < 3; i++) {
      const next = await auth.refresh(t);
      expect(next.clientId).toBe(ANDROID);
      expect(next.refreshToken).not.toBe(t.refreshToken);
      t = next;
    }
    expect(emu.stats().diTokens).toEqual({ [`refresh ${ANDROID} 200`]: 3 });
  });

  it('a refresh whose client id Garmin retired is a re-login, not a try with another id (its refresh token is bound to it)', async () => {
    const started = await startEmu();
    emu = started.emu;
    const { auth, tokens } = await loggedIn(started.clock);
    expect(tokens.clientId).toBe(Q2);
    emu.setFaults({ rejectDiClientIds: [Q2!] });
    emu.resetStats();
    const err = await auth.refresh(tokens).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(err, 'GARMIN_REAUTH_REQUIRED')).toBe(true);
    expect(emu.stats().diTokens).toEqual({ [`refresh ${Q2} 401`]: 1 });
  });
});
