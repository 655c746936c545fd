/**
 * One rule for every string a request carries (issue 12.3): no NUL character (U+0000), in a
 * body, a query string or a path parameter, at any depth, in values and in keys. PostgreSQL's
 * `text` cannot hold one and refused it with an error that became a 500, while SQLite stored
 * it; no field of ours has a use for it. The server applies this before schema validation of
 * every route (src/server/app.ts), so a new route or field is covered without saying so.
 */

/** Where a NUL-free-string check failed: a JSON pointer into the checked value. */
export type NulPath = string;

/**
 * The JSON pointer of the first string (or object key) in `value` that holds a NUL character,
 * or null when there is none. Walks iteratively, so deeply nested bodies cannot overflow the stack.
 */
/** Parsed data, not a stream (a streamed upload body) or bytes. */
const isPlain = (v: object): boolean => typeof (v as { pipe?: unknown }).pipe !== 'function' && !ArrayBuffer.isView(v);

export function findNul(value: unknown): NulPath | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path || '/';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}/${i}`]);
    } else if (v !== null && typeof v === 'object' && isPlain(v)) {
      // Only parsed JSON is walked: a streamed body (an archive upload) is not data to check.
      for (const [k, child] of Object.entries(v)) {
        const at = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (k.includes('\u0000')) return at;
        stack.push([child, at]);
      }
    }
  }
  return null;
}
