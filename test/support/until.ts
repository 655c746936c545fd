/**
 * The one polling helper of the test suite: resolves with the first truthy value `probe` returns,
 * re-asking every `everyMs`; rejects after `timeoutMs` naming `what` (and the last value seen).
 * It waits for work in flight (a worker, a child process, a socket), never for time to pass:
 * time is advanced explicitly on a FakeClock (or through short configured lifetimes).
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const everyMs = opts.everyMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await probe();
    if (v) return v;
    last = v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `until` for probes whose "not yet" is `undefined` only (so 0, '' and false are answers). */
export function untilDefined<T>(what: string, probe: () => T | undefined, opts: { timeoutMs?: number; everyMs?: number } = {}): Promise<T> {
  const boxed = () => {
    const value = probe();
    return value === undefined ? undefined : { value };
  };
  return until(what, boxed, opts).then((box) => box.value);
}
