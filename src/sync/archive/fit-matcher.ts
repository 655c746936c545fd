/**
 * Matches activity FIT files to archive activities by start time: the file names carry an opaque
 * upload number, never the activity id (garmin-archive.md §4). Exact match first, then the
 * nearest start within the tolerance (300 s, as garmin-grafana), each activity used once.
 */
export const MATCH_TOLERANCE_MS = 300_000;

export class FitMatcher {
  /** Sorted by start. */
  private readonly starts: { start: number; activityId: string; taken: boolean }[];

  constructor(activities: Iterable<{ activityId: string; start: number }>) {
    this.starts = [...activities].map((a) => ({ ...a, taken: false })).sort((a, b) => a.start - b.start);
  }

  get size(): number {
    return this.starts.length;
  }

  /** The activity whose start is nearest `fitStartMs` within the tolerance, or undefined. */
  match(fitStartMs: number): string | undefined {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]!.start < fitStartMs) lo = mid + 1;
      else hi = mid;
    }
    let best: (typeof this.starts)[number] | undefined;
    for (let i = lo - 1; i >= 0 && fitStartMs - this.starts[i]!.start <= MATCH_TOLERANCE_MS; i--) {
      if (!this.starts[i]!.taken) {
        best = this.starts[i];
        break;
      }
    }
    for (let i = lo; i < this.starts.length && this.starts[i]!.start - fitStartMs <= MATCH_TOLERANCE_MS; i++) {
      if (!this.starts[i]!.taken) {
        if (!best || Math.abs(this.starts[i]!.start - fitStartMs) < Math.abs(best.start - fitStartMs)) best = this.starts[i];
        break;
      }
    }
    if (!best) return undefined;
    best.taken = true;
    return best.activityId;
  }

  /** Marks an activity as already matched (a resumed import). */
  take(activityId: string): void {
    const s = this.starts.find((x) => x.activityId === activityId);
    if (s) s.taken = true;
  }
}
