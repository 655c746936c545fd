/** The largest jitter of a schedule: a tenth of its interval, at most 30 minutes. */
export function maxJitterMs(everyMs: number): number {
  return Math.min(Math.floor(everyMs / 10), 30 * 60_000);
}

/**
 * The due time after `now` on a schedule's grid: `anchor + k·every` (anchor = when it was set plus
 * its jitter). A run that was missed (the service was down, the account waited for a login) is
 * not caught up several times: the schedule runs once and goes on at its next slot.
 */
export function nextDueAfter(anchor: number, everyMs: number, now: number): number {
  if (now < anchor) return anchor;
  return anchor + (Math.floor((now - anchor) / everyMs) + 1) * everyMs;
}

/** A fraction in [0, 1) from injected random bytes (style.md rule 2: no Math.random below the roots). */
export function fraction(bytes: Buffer): number {
  return bytes.readUInt32BE(0) / 2 ** 32;
}
