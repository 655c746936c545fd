import type { IncomingHttpHeaders } from 'node:http';

/**
 * The emulator's internal routing contract. The emulator is a plain node:http server (so that it
 * can reset connections and truncate bodies like a misbehaving upstream); each protocol area
 * (SSO, OAuth, DI, Connect API, control API) contributes EmuRoutes.
 */
export type GarminHost = 'sso' | 'connectapi' | 'diauth' | 'connect' | 'any';

export interface EmuRequest {
  method: string;
  /** Path without the query string, e.g. "/activity-service/activity/123". */
  path: string;
  query: URLSearchParams;
  /** The raw query string as sent (needed for OAuth1 signature checks). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Which Garmin host this request is for (from Host in TLS mode; the route's host in plain mode). */
  host: GarminHost;
  /** The public base URL of that host as clients see it, e.g. "http://127.0.0.1:9797". */
  baseUrl: string;
  /** Path parameters from the route pattern (":id" → params.id). */
  params: Record<string, string>;
  /** Cookies sent by the client. */
  cookies: Record<string, string>;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A string or Buffer is sent as is; anything else is sent as JSON. Undefined: empty body. */
  body?: unknown;
}

/** Per-request context resolved by the server before a handler runs. */
export interface EmuContext {
  /** The account that owns the Bearer token, for routes with `auth: 'bearer'`. */
  accountId?: string;
}

export interface EmuRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path pattern with ":name" segments, e.g. "/activity-service/activity/:id". */
  pattern: string;
  host: GarminHost;
  /** Stable name used as the key in /__emulator/stats. */
  name: string;
  /** 'bearer': the server checks `Authorization: Bearer …` (401 when missing/expired) first. */
  auth?: 'bearer' | 'none';
  /** Control routes are never subject to fault injection or rate limits. */
  control?: boolean;
  handler: (req: EmuRequest, ctx: EmuContext) => EmuResponse | Promise<EmuResponse>;
}
