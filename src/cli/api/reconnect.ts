import { AppError, backoffDelayMs, isAppError, type BackoffPolicy, type Clock, type Random } from '../../core/index.js';

/** How long `--wait` / `sync watch` keep trying to reach a service that went away (issue 15). */
export const DEFAULT_RECONNECT_MS = 60_000;

/**
 * The delays between attempts: the code base's one back-off (core/backoff.ts), with a shorter
 * base than the Garmin client's because a restarting service is usually back within seconds.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 5000 };

export interface ReconnectOptions {
  clock: Clock;
  random: Random;
  /** The service's URL, for the messages. */
  server: string;
  /** How long one outage may last before giving up; 0 gives up at the first failure. */
  budgetMs: number;
  policy?: BackoffPolicy;
  /** Called once when an outage begins (the first failed request). */
  onLost?: (info: { server: string; budgetMs: number }) => void;
  /** Called once when the service answers again after an outage. */
  onBack?: (info: { outageMs: number }) => void;
}

/**
 * An answer that means "the service is away", not "the service said no": no connection at all,
 * or a 502/503/504 (a service that is closing answers 503; a proxy in front of a stopped one 502).
 */
export function isOutage(e: unknown): e is AppError {
  if (!isAppError(e)) return false;
  if (e.code === 'SERVICE_UNREACHABLE') return true;
  const status = e.details.status;
  return status === 502 || status === 503 || status === 504;
}

/**
 * Tracks one outage of the service for everything that follows jobs at once (`--type all`
 * follows three): the first failure starts the clock and says so once, each failure waits a
 * jittered back-off, a success ends the outage, and an outage longer than the budget ends in
 * SERVICE_UNREACHABLE (exit 7). The job goes on in the service either way.
 */
export class Reconnector {
  private since: number | undefined;
  private attempt = 0;

  constructor(private readonly opts: ReconnectOptions) {}

  /** Waits before the next attempt, or throws when the outage has lasted the whole budget. */
  async wait(error: AppError, signal: AbortSignal): Promise<void> {
    const { clock } = this.opts;
    const now = clock.now();
    if (this.since === undefined) {
      this.since = now;
      this.attempt = 0;
      if (this.opts.budgetMs > 0) this.opts.onLost?.({ server: this.opts.server, budgetMs: this.opts.budgetMs });
    }
    const left = this.since + this.opts.budgetMs - now;
    if (left <= 0) throw this.gaveUp(error, now - this.since);
    const delay = backoffDelayMs(this.attempt++, this.opts.random, this.opts.policy ?? RECONNECT_BACKOFF);
    await clock.sleep(Math.max(1, Math.min(delay, left)), signal);
  }

  /** The service answered: an outage in progress is over. */
  back(): void {
    if (this.since === undefined) return;
    const outageMs = this.opts.clock.now() - this.since;
    this.since = undefined;
    this.attempt = 0;
    this.opts.onBack?.({ outageMs });
  }

  private gaveUp(error: AppError, waitedMs: number): AppError {
    const server = this.opts.server;
    const waited = this.opts.budgetMs > 0 ? ` within ${Math.round(waitedMs / 1000)} s` : '';
    return new AppError(
      'SERVICE_UNREACHABLE',
      `The sync service at ${server} did not come back${waited} (${reasonOf(error)})`,
      { ...error.details, server, waited_ms: waitedMs },
      { cause: error },
    );
  }
}

function reasonOf(e: AppError): string {
  if (typeof e.details.status === 'number') return `HTTP ${e.details.status}`;
  const m = /\(([^)]*)\)/.exec(e.message);
  return m?.[1] ?? 'no answer';
}

/**
 * Runs `attempt` again while the service is away (an outage), within the reconnector's budget;
 * any other error is thrown at once. For `sync start --wait` when the service is down before the
 * job exists: re-sending its POST cannot make a second job while the first is active, because the
 * service answers an identical pending or running job instead of creating one (deduplicated).
 */
export async function untilReachable<T>(attempt: () => Promise<T>, reconnect: Reconnector, signal: AbortSignal): Promise<T> {
  for (;;) {
    try {
      const result = await attempt();
      reconnect.back();
      return result;
    } catch (e) {
      if (!isOutage(e)) throw e;
      await reconnect.wait(e, signal);
    }
  }
}
