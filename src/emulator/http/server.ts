import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isAppError } from '../../core/index.js';
import { corruptFitZip } from '../faults/fit-corruption.js';
import { rateLimitedResponse, serverErrorResponse } from '../faults/fault-responses.js';
import { RateWindow } from '../faults/rate-limiter.js';
import type { EmuRandom } from '../random.js';
import type { EmuState } from '../state.js';
import { readBody, BodyTooLargeError } from './body.js';
import { parseCookies } from './cookies.js';
import { json } from './responses.js';
import { Router } from './router.js';
import type { EmuContext, EmuRequest, EmuResponse, EmuRoute, GarminHost } from './types.js';

/** Garmin's APIs take small bodies; uploads of FIT files stay far below this. */
export const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

const KNOWN_HOSTS: readonly GarminHost[] = ['sso', 'connectapi', 'diauth', 'connect'];
const FIT_DOWNLOAD = /^\/download-service\/files\/activity\/(\d+)$/;

export interface EmuServerOptions {
  state: EmuState;
  routes: EmuRoute[];
  host: string;
  port: number;
  /** TLS mode: serve HTTPS and route by Host. */
  tls?: { cert: string; key: string };
  /** Seeded dice for faults (separate stream so faults do not shift ids). */
  dice: EmuRandom;
}

export interface EmuServer {
  port: number;
  close(): Promise<void>;
  resetRateWindow(): void;
}

/**
 * The emulator's HTTP server: node:http (not a framework) so that it can misbehave like an
 * upstream does — reset connections, cut bodies short, answer 501 to what Garmin would not serve.
 */
export async function startEmuServer(opts: EmuServerOptions): Promise<EmuServer> {
  const router = new Router(opts.routes);
  const window = new RateWindow();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(opts, router, window, req, res).catch((e: unknown) => {
      opts.state.logger.error({ err: String(e) }, 'emulator handler crashed');
      if (!res.headersSent) send(res, json(500, { error: 'internal emulator error' }), false);
      else res.destroy();
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    resetRateWindow: () => window.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** TLS mode: "sso.garmin.test:8443" → "sso". Unknown names are served like plain mode. */
function garminHostOf(hostHeader: string, domain: string): GarminHost | undefined {
  const name = hostHeader.replace(/:\d+$/, '').toLowerCase();
  for (const h of KNOWN_HOSTS) if (name === `${h}.${domain}`) return h;
  return undefined;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

async function handle(
  opts: EmuServerOptions,
  router: Router,
  window: RateWindow,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { state } = opts;
  const started = state.clock.now();
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const hostHeader = req.headers.host ?? '';
  const garminHost = opts.tls ? garminHostOf(hostHeader, state.config.domain) : undefined;
  const match = router.match(method, url.pathname, garminHost);
  const log = (status: number | string) =>
    state.logger.debug({ method, path: url.pathname, status, ms: state.clock.now() - started }, 'request');

  if (!match) {
    // Drain the body so the connection stays usable, then answer like a server without the route.
    await readBody(req, BODY_LIMIT_BYTES).catch(() => undefined);
    state.stats.total++;
    bump(state.stats.byStatus, '501');
    state.stats.violations.push({
      method,
      path: url.pathname,
      reason: garminHost ? `no such endpoint on ${garminHost}` : 'no such endpoint',
    });
    send(res, json(501, { error: 'Not Implemented', message: `The emulator does not serve ${method} ${url.pathname}` }), false);
    log(501);
    return;
  }
  const { route, params } = match;
  const counted = !route.control;
  const record = (status: number | string) => {
    if (counted) bump(state.stats.byStatus, String(status));
    log(status);
  };

  let body: Buffer;
  try {
    body = await readBody(req, BODY_LIMIT_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLargeError) {
      // The rest of the body is drained (not reset) so that the client reliably reads the 413.
      send(res, json(413, { error: 'Payload Too Large' }, { connection: 'close' }), false);
      if (counted) state.stats.total++;
      record(413);
      return;
    }
    throw e;
  }

  const faults = state.faults;
  const rayId = opts.dice.hex(16);
  if (counted) {
    state.stats.total++;
    bump(state.stats.byEndpoint, route.name);
    if (faults.rateLimitRps !== null && !window.admit(state.clock.now(), faults.rateLimitRps)) {
      send(res, rateLimitedResponse(faults, hostnameOf(hostHeader, route.host, state.config.domain), rayId), false);
      record(429);
      return;
    }
    if (faults.latencyMs > 0) await state.clock.sleep(faults.latencyMs);
    if (faults.faultReset > 0 && opts.dice.next() < faults.faultReset) {
      req.socket.destroy();
      record('reset');
      return;
    }
    if (faults.fault5xx > 0 && opts.dice.next() < faults.fault5xx) {
      const status = ([500, 502, 503] as const)[opts.dice.int(3)]!;
      send(res, serverErrorResponse(status, rayId), false);
      record(status);
      return;
    }
  }

  const emuReq: EmuRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    rawQuery: url.search.startsWith('?') ? url.search.slice(1) : url.search,
    headers: req.headers,
    body,
    host: garminHost ?? route.host,
    baseUrl: `${opts.tls ? 'https' : 'http'}://${hostHeader}`,
    params,
    cookies: parseCookies(req.headers.cookie),
  };
  const ctx: EmuContext = {};
  let response: EmuResponse;
  if (route.auth === 'bearer') {
    const check = state.tokens.checkBearer(emuReq.headers.authorization);
    if (!check.ok || faults.tokenNotActive) {
      response = bearerRejected(check.ok ? 'inactive' : check.reason);
      send(res, response, false);
      record(response.status);
      return;
    }
    ctx.accountId = check.grant.accountId;
  }
  try {
    response = await route.handler(emuReq, ctx);
  } catch (e) {
    if (!isAppError(e)) throw e;
    const status = e.code === 'NOT_FOUND' ? 404 : e.code === 'VALIDATION_FAILED' ? 400 : 500;
    response = json(status, { error: e.code, message: e.message });
  }

  if (counted) {
    const fit = FIT_DOWNLOAD.exec(url.pathname);
    if (fit && response.status === 200 && response.body instanceof Uint8Array && faults.corruptFitIds.includes(Number(fit[1]))) {
      response = { ...response, body: corruptFitZip(Buffer.from(response.body)) };
    }
  }
  if (counted) response = withEdgeHeaders(response, rayId);
  const truncate = counted && faults.faultTruncate > 0 && opts.dice.next() < faults.faultTruncate;
  send(res, response, truncate);
  record(response.status);
}

/** Every Garmin answer passes Cloudflare in the recordings; clients must tolerate these headers. */
function withEdgeHeaders(response: EmuResponse, rayId: string): EmuResponse {
  const headers = { ...response.headers };
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (!has('server')) headers.server = 'cloudflare';
  if (!has('cf-ray')) headers['cf-ray'] = `${rayId}-LAX`;
  if (!has('cf-cache-status')) headers['cf-cache-status'] = 'DYNAMIC';
  return { ...response, headers };
}

function hostnameOf(hostHeader: string, routeHost: GarminHost, domain: string): string {
  const name = hostHeader.replace(/:\d+$/, '');
  return /^[\d.]+$|^localhost$|^\[/.test(name) ? `${routeHost === 'any' ? 'sso' : routeHost}.${domain}` : name;
}

/**
 * Garmin's API tier introspects tokens: an unknown, expired or revoked token is simply "not
 * active" (garmin-protocol.md §7, python-garminconnect #369). No body.
 */
function bearerRejected(reason: 'missing' | 'inactive'): EmuResponse {
  return {
    status: 401,
    headers: {
      'www-authenticate': reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token", error_description="Token is not active"',
    },
  };
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** Writes a response; `truncate` declares the full Content-Length, sends half and closes. */
function send(res: ServerResponse, response: EmuResponse, truncate: boolean): void {
  const bytes = bodyBytes(response.body);
  const headers: Record<string, string | string[]> = { ...response.headers };
  if (
    response.body !== undefined &&
    typeof response.body !== 'string' &&
    !Buffer.isBuffer(response.body) &&
    !(response.body instanceof Uint8Array)
  ) {
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  headers['content-length'] = String(bytes.length);
  res.writeHead(response.status, headers);
  if (truncate && bytes.length > 1) {
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
    return;
  }
  res.end(bytes);
}
