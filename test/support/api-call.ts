/** The answer of one API call: status, headers, the parsed body (undefined if not JSON), the text and the bytes as sent (FIT downloads). */
export interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  bytes: Buffer;
}

export interface ApiCallOptions {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (hostile-input tests); wins over `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

/** Paths served outside the versioned API prefix. */
const UNPREFIXED = ['/api', '/openapi', '/healthz', '/readyz'];

/** One JSON call to a service base URL; relative API paths get the `/api/v1` prefix. */
export async function apiCall(base: string, method: string, path: string, opts: ApiCallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const prefix = UNPREFIXED.some((p) => path.startsWith(p)) ? '' : '/api/v1';
  const res = await fetch(`${base}${prefix}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text, bytes };
}
