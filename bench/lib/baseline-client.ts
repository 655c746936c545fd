// The baseline: how the common community tools back up activities. One request at a time, no
// sleeps: page through the activity list, then for each activity fetch its detail and its
// original FIT. Written here with plain fetch on purpose — it must not share code (or
// optimisations) with our Garmin client in src/garmin.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const SERVICE_URL = 'https://mobile.integration.garmin.com/gcm/android';
const DI_GRANT = 'https://connectapi.garmin.com/di-oauth2-service/oauth/grant/service_ticket';
const DI_CLIENT_IDS = [
  'GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2',
  'GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4',
  'GARMIN_CONNECT_MOBILE_ANDROID_DI',
  'GARMIN_CONNECT_MOBILE_IOS_DI',
];
const PAGE_HEADERS = {
  'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.9',
};
const API_HEADERS = { 'user-agent': 'GCM-Android-5.23', 'x-garmin-client-platform': 'Android', 'accept-language': 'en-US,en;q=0.9' };

function cookieHeader(res: Response, jar: Map<string, string>): string {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Logs in through the emulator's mobile JSON SSO and DI token endpoint; returns a Bearer token. */
export async function baselineLogin(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const q = `clientId=GCM_ANDROID_DARK&locale=en-US&service=${encodeURIComponent(SERVICE_URL)}`;
  const page = await fetch(`${base}/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK`, { headers: PAGE_HEADERS });
  await page.arrayBuffer();
  const cookies = cookieHeader(page, jar);
  const login = await fetch(`${base}/mobile/api/login?${q}`, {
    method: 'POST',
    headers: { ...PAGE_HEADERS, 'content-type': 'application/json', ...(cookies ? { cookie: cookies } : {}) },
    body: JSON.stringify({ username: email, password, rememberMe: false, captchaToken: '' }),
  });
  const body = (await login.json()) as { serviceTicketId?: string | null; responseStatus?: { type?: string } };
  if (!login.ok || !body.serviceTicketId) {
    throw new Error(`baseline login failed: HTTP ${login.status} ${body.responseStatus?.type ?? ''}`);
  }
  // A ticket is single-use, so a failed client id costs a fresh ticket only if the emulator burns
  // it on refusal; the emulator accepts the first id in practice.
  let lastStatus = 0;
  for (const clientId of DI_CLIENT_IDS) {
    const res = await fetch(`${base}/di-oauth2-service/oauth/token`, {
      method: 'POST',
      headers: {
        ...API_HEADERS,
        authorization: `Basic ${Buffer.from(`${clientId}:`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        client_id: clientId,
        service_ticket: body.serviceTicketId,
        grant_type: DI_GRANT,
        service_url: SERVICE_URL,
      }),
    });
    lastStatus = res.status;
    if (res.ok) {
      const tok = (await res.json()) as { access_token?: string };
      if (tok.access_token) return tok.access_token;
    } else {
      await res.arrayBuffer();
    }
  }
  throw new Error(`baseline DI token exchange failed: HTTP ${lastStatus}`);
}

export interface BaselineResult {
  activities: number;
  requests: number;
  bytes: number;
  ms: number;
}

async function getOk(url: string, token: string, accept: string): Promise<Response> {
  const res = await fetch(url, { headers: { ...API_HEADERS, authorization: `Bearer ${token}`, accept } });
  if (!res.ok) throw new Error(`baseline GET ${new URL(url).pathname}: HTTP ${res.status}`);
  return res;
}

/**
 * Backs up every activity the way the sequential tools do and times it. FIT ZIPs are written to
 * `outDir`, as a real tool would, so that both sides pay for storing the files. `limit` stops
 * after the newest `limit` activities (the list is newest first).
 */
export async function baselineBackfill(
  base: string,
  token: string,
  outDir: string,
  pageSize = 100,
  limit = Infinity,
): Promise<BaselineResult> {
  const t0 = process.hrtime.bigint();
  let requests = 0;
  let bytes = 0;
  const ids: number[] = [];
  for (let start = 0; ; start += pageSize) {
    const res = await getOk(
      `${base}/activitylist-service/activities/search/activities?start=${start}&limit=${pageSize}`,
      token,
      'application/json',
    );
    requests++;
    const page = (await res.json()) as { activityId: number }[];
    if (page.length === 0) break;
    for (const a of page) ids.push(a.activityId);
    if (page.length < pageSize || ids.length >= limit) break;
  }
  for (const id of ids.slice(0, limit)) {
    const detail = await getOk(`${base}/activity-service/activity/${id}`, token, 'application/json');
    requests++;
    bytes += (await detail.arrayBuffer()).byteLength;
    const fit = await getOk(`${base}/download-service/files/activity/${id}`, token, '*/*');
    requests++;
    const zip = Buffer.from(await fit.arrayBuffer());
    bytes += zip.byteLength;
    await writeFile(path.join(outDir, `${id}.zip`), zip);
  }
  return { activities: Math.min(ids.length, limit), requests, bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}
