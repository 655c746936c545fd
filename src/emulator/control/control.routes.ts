import { AppError } from '../../core/index.js';
import type { EmuRequest, EmuRoute } from '../http/types.js';
import { json, jsonBody } from '../http/responses.js';
import type { EmulatorStats, FaultKnobs } from '../types.js';

/** What the control API can do; the same operations RunningEmulator exposes in-process. */
export interface EmulatorControls {
  lastMfaCode(email: string): string | undefined;
  stats(): EmulatorStats;
  resetStats(): void;
  faults(): FaultKnobs;
  setFaults(patch: unknown): void;
  addActivities(email: string | undefined, count: number): number[];
  /** Renames an activity upstream (an edit in Garmin Connect); false when there is none. */
  editActivity(email: string | undefined, id: number, patch: { name?: string; description?: string }): boolean;
  expireTokens(email?: string): void;
  revokeRefreshTokens(email?: string): void;
  accounts(): { email: string; password: string; mfa: boolean; locked: boolean; displayName: string }[];
  consumer(): { consumer_key: string; consumer_secret: string };
}

function optionalUsername(req: EmuRequest): string | undefined {
  const body = req.body.length > 0 ? jsonBody(req) : {};
  if (!body) throw new AppError('VALIDATION_FAILED', 'The body must be a JSON object.');
  const u = body.username ?? req.query.get('username') ?? undefined;
  if (u !== undefined && typeof u !== 'string') throw new AppError('VALIDATION_FAILED', '"username" must be a string.');
  return u;
}

/**
 * The control API under /__emulator/ (never part of Garmin's surface, never counted, never
 * faulted): the MFA outbox, stats, fault knobs, new upstream activities, token expiry.
 */
export function controlRoutes(c: EmulatorControls): EmuRoute[] {
  const route = (method: EmuRoute['method'], path: string, handler: EmuRoute['handler']): EmuRoute => ({
    method,
    pattern: `/__emulator/${path}`,
    host: 'any',
    name: `control.${path}`,
    control: true,
    handler,
  });
  return [
    route('GET', 'mfa-code', (req) => {
      const username = req.query.get('username');
      if (!username) return json(400, { error: 'username is required' });
      const code = c.lastMfaCode(username);
      return code ? json(200, { username, code }) : json(404, { error: `no MFA code was sent to ${username}` });
    }),
    route('GET', 'stats', () => json(200, c.stats())),
    route('POST', 'reset-stats', () => {
      c.resetStats();
      return json(200, c.stats());
    }),
    route('GET', 'faults', () => json(200, c.faults())),
    route('POST', 'faults', (req) => {
      const body = jsonBody(req);
      if (!body) return json(400, { error: 'The body must be a JSON object of fault knobs.' });
      c.setFaults(body);
      return json(200, c.faults());
    }),
    route('POST', 'activities', (req) => {
      const body = jsonBody(req);
      const count = body?.count;
      if (!body || typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10_000) {
        return json(400, { error: '"count" must be an integer from 1 to 10000.' });
      }
      const username = body.username;
      if (username !== undefined && typeof username !== 'string') return json(400, { error: '"username" must be a string.' });
      return json(200, { ids: c.addActivities(username, count) });
    }),
    route('POST', 'edit-activity', (req) => {
      const body = jsonBody(req);
      const id = body?.id;
      const name = body?.name;
      const description = body?.description;
      if (!body || typeof id !== 'number' || !Number.isSafeInteger(id)) return json(400, { error: '"id" must be an activity id.' });
      const text = (v: unknown) => v === undefined || (typeof v === 'string' && v.length > 0 && v.length <= 200);
      if (!text(name) || !text(description) || (name === undefined && description === undefined))
        return json(400, { error: '"name" and/or "description" must be 1–200 characters.' });
      const username = body.username;
      if (username !== undefined && typeof username !== 'string') return json(400, { error: '"username" must be a string.' });
      const patch = {
        ...(name !== undefined ? { name: name as string } : {}),
        ...(description !== undefined ? { description: description as string } : {}),
      };
      return c.editActivity(username, id, patch) ? json(200, { id, ...patch }) : json(404, { error: `no activity ${id}` });
    }),
    route('POST', 'expire-tokens', (req) => {
      c.expireTokens(optionalUsername(req));
      return json(200, { ok: true });
    }),
    route('POST', 'revoke-refresh-tokens', (req) => {
      c.revokeRefreshTokens(optionalUsername(req));
      return json(200, { ok: true });
    }),
    route('GET', 'accounts', () => json(200, { accounts: c.accounts() })),
    // garth fetches its consumer from S3; this is the emulator's stand-in, same JSON shape.
    route('GET', 'oauth_consumer.json', () => json(200, c.consumer())),
  ];
}
