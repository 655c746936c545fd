/**
 * A browser-like SSO session: one tough-cookie jar across every SSO step (Garmin ties the MFA
 * step to the login's SESSION cookie and the ticket to the load-balancer cookie), redirects
 * followed by hand so that each hop's Set-Cookie is kept. The jar serialises to plain JSON so an
 * MFA step can be finished by another process.
 */
import { CookieJar } from 'tough-cookie';
import { AppError } from '../core/index.js';
import { sendRequest } from './http.js';
import { readText } from './upstream-answer.js';
import type { HttpDeps } from './http.js';
import type { TransportHeaders } from '../transport/index.js';

/** Cloudflare's per-account login blocks last hours; without a Retry-After we say so. */
export const SSO_RATE_LIMIT_DEFAULT_MS = 15 * 60_000;

export interface SsoResponse {
  status: number;
  headers: TransportHeaders;
  text: string;
  /** The URL of the final hop (after redirects). */
  url: string;
}

export interface SsoRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  label: string;
}

const MAX_REDIRECTS = 5;

export class SsoSession {
  private constructor(
    private readonly http: HttpDeps,
    private readonly jar: CookieJar,
  ) {}

  static fresh(http: HttpDeps): SsoSession {
    return new SsoSession(http, new CookieJar());
  }

  /** Rebuilds a session from {@link SsoSession.serialize}'s output; GARMIN_MFA_EXPIRED when it is not one. */
  static async restore(http: HttpDeps, serialized: unknown): Promise<SsoSession> {
    try {
      return new SsoSession(http, await CookieJar.deserialize(serialized as never));
    } catch (e) {
      throw new AppError('GARMIN_MFA_EXPIRED', 'The saved login state is not readable; start the login again.', {}, { cause: e });
    }
  }

  async serialize(): Promise<unknown> {
    return JSON.parse(JSON.stringify(await this.jar.serialize()));
  }

  /** Sends a request with the jar's cookies, stores Set-Cookie of every hop, follows redirects (GET). No retries: SSO steps are not idempotent. */
  async request(req: SsoRequest, signal?: AbortSignal): Promise<SsoResponse> {
    let current: SsoRequest = req;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const cookie = await this.jar.getCookieString(current.url);
      const headers = cookie ? { ...current.headers, Cookie: cookie } : current.headers;
      const res = await sendRequest(
        this.http,
        { ...current, headers, retries: 0, rateLimitDefaultMs: SSO_RATE_LIMIT_DEFAULT_MS, manualRedirect: true },
        async (r) => {
          for (const c of r.headers.getSetCookie()) await this.jar.setCookie(c, current.url, { ignoreError: true });
          return { status: r.status, headers: r.headers, text: await readText(r), url: current.url };
        },
        signal,
      );
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = {
          method: 'GET',
          url: new URL(location, current.url).toString(),
          headers: { ...req.headers, referer: current.url },
          label: `${req.label} (redirect)`,
        };
        delete current.headers['Content-Type'];
        continue;
      }
      return res;
    }
    throw new AppError('GARMIN_PROTOCOL_CHANGED', 'Garmin SSO redirected too many times.', { endpoint: req.label });
  }
}
