/**
 * A sliding one-second window over Garmin-facing requests. Garmin's edge (Cloudflare) limits
 * per client; the emulator has one client population, so one window is enough.
 */
export class RateWindow {
  private stamps: number[] = [];

  /** Records a request at `nowMs` and says whether it is within `rps`. */
  admit(nowMs: number, rps: number): boolean {
    const since = nowMs - 1000;
    while (this.stamps.length > 0 && this.stamps[0]! <= since) this.stamps.shift();
    if (this.stamps.length >= rps) return false;
    this.stamps.push(nowMs);
    return true;
  }

  reset(): void {
    this.stamps = [];
  }
}
