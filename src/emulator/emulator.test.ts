import { Decoder, Stream } from '@garmin/fitsdk';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONSUMER, startEmulator, type RunningEmulator } from './index.js';
import { ANDROID_SERVICE, diTicketGrant, mobileTicket, readJson } from './testing/sso-client.js';

describe('the emulator end to end: login, DI token, Connect API, control API', () => {
  let emu: RunningEmulator;
  let access: string;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, activities: 5, days: 3, workouts: 1, endDate: '2026-11-20' });
    const ticket = await mobileTicket(emu, 'demo@example.com');
    const res = await diTicketGrant(emu, ticket, ANDROID_SERVICE);
    access = (await readJson(res)).access_token;
  });
  afterAll(() => emu.close());

  const api = (path: string) =>
    fetch(`${emu.url}${path}`, { headers: { authorization: `Bearer ${access}`, referer: 'https://sso.garmin.com/stray' } });

  it('serves socialProfile for the account behind the token', async () => {
    const res = await api('/userprofile-service/socialProfile');
    expect(res.status).toBe(200);
    const profile = await readJson(res);
    expect(typeof profile.displayName).toBe('string');
    expect(emu.stats().byEndpoint['connect.socialProfile']).toBe(1);
  });

  it('adds activities upstream through the control API', async () => {
    const before = await readJson(await api('/activitylist-service/activities/search/activities?start=0&limit=100'));
    const res = await fetch(`${emu.url}/__emulator/activities`, {
      method: 'POST',
      body: JSON.stringify({ username: 'demo@example.com', count: 2 }),
    });
    expect(res.status).toBe(200);
    const { ids } = await readJson(res);
    expect(ids).toHaveLength(2);
    const after = await readJson(await api('/activitylist-service/activities/search/activities?start=0&limit=100'));
    expect(after).toHaveLength(before.length + 2);
    expect(after.map((a: { activityId: number }) => a.activityId)).toEqual(expect.arrayContaining(ids));
  });

  it('edits an activity through the control API: a name shows in the list, a description only in the detail', async () => {
    const list = async () => readJson(await api('/activitylist-service/activities/search/activities?start=0&limit=100'));
    const [first] = await list();
    const id = first.activityId as number;
    const detail = async () => readJson(await api(`/activity-service/activity/${id}`));
    const before = await detail();
    expect(before.description).toBeUndefined();
    const edit = (body: unknown) => fetch(`${emu.url}/__emulator/edit-activity`, { method: 'POST', body: JSON.stringify(body) });
    const described = await edit({ id, description: 'Tempo, felt good' });
    expect(described.status).toBe(200);
    expect(await readJson(described)).toEqual({ id, description: 'Tempo, felt good' });
    const after = await detail();
    expect(after.description).toBe('Tempo, felt good');
    expect(after.activityName).toBe(before.activityName);
    expect(after.metadataDTO.lastUpdateDate).not.toBe(before.metadataDTO.lastUpdateDate);
    expect((await list())[0]).toEqual(first); // the list summary does not carry it
    expect((await edit({ id, name: 'Renamed' })).status).toBe(200);
    expect((await list())[0].activityName).toBe('Renamed');
    for (const bad of [{ id }, { id, name: '' }, { id, description: 7 }, { id: 'x', name: 'n' }])
      expect((await edit(bad)).status).toBe(400);
    expect((await edit({ id: 1, name: 'n' })).status).toBe(404);
  });

  it('corrupts the FIT of the listed activities (ZIP still valid, FIT integrity fails)', async () => {
    const list = await readJson(await api('/activitylist-service/activities/search/activities?start=0&limit=2'));
    const [good, bad] = list.map((a: { activityId: number }) => a.activityId) as number[];
    emu.setFaults({ corruptFitIds: [bad!] });
    const fitOf = async (id: number) => {
      const res = await api(`/download-service/files/activity/${id}`);
      expect(res.status).toBe(200);
      const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
      expect(Object.keys(entries)).toEqual([`${id}_ACTIVITY.fit`]);
      return entries[`${id}_ACTIVITY.fit`]!;
    };
    expect(new Decoder(Stream.fromByteArray(Array.from(await fitOf(good!)))).checkIntegrity()).toBe(true);
    expect(new Decoder(Stream.fromByteArray(Array.from(await fitOf(bad!)))).checkIntegrity()).toBe(false);
    emu.setFaults({ corruptFitIds: [] });
    expect(new Decoder(Stream.fromByteArray(Array.from(await fitOf(bad!)))).checkIntegrity()).toBe(true);
  });

  it('publishes the OAuth1 consumer in the shape of garth S3 JSON', async () => {
    const res = await fetch(`${emu.url}/__emulator/oauth_consumer.json`);
    expect(await readJson(res)).toEqual({ consumer_key: DEFAULT_CONSUMER.key, consumer_secret: DEFAULT_CONSUMER.secret });
  });

  it('expires tokens through the control API', async () => {
    const res = await fetch(`${emu.url}/__emulator/expire-tokens`, {
      method: 'POST',
      body: JSON.stringify({ username: 'demo@example.com' }),
    });
    expect(res.status).toBe(200);
    expect((await api('/userprofile-service/socialProfile')).status).toBe(401);
  });
});

describe('determinism', () => {
  it('hands out the same tickets, accounts and MFA codes for the same seed and requests', async () => {
    const run = async (seed: number) => {
      const emu = await startEmulator({ seed, activities: 1, days: 1, workouts: 0 });
      try {
        const ticket = await mobileTicket(emu, 'demo@example.com');
        return {
          ticket,
          code: emu.lastMfaCode('demo@example.com'),
          accounts: await readJson(await fetch(`${emu.url}/__emulator/accounts`)),
        };
      } finally {
        await emu.close();
      }
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect((await run(12)).ticket).not.toBe(a.ticket);
  });
});

describe('start-up', () => {
  it('starts with the default dataset quickly enough for every room to use it', async () => {
    const t0 = performance.now();
    const emu = await startEmulator();
    const ms = performance.now() - t0;
    await emu.close();
    expect(ms).toBeLessThan(10_000);
  });
});
