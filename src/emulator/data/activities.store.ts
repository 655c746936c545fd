import type { AthleteProfile } from './account-profile.js';
import { buildActivity, type ActivityModel } from './activity.model.js';
import { appendedPlacement, initialPlacements } from './activity.timeline.js';
import { corruptFit, encodeActivityFit } from './activity.fit.js';
import { LruCache } from './lru.js';
import { SPORTS } from './sports.js';
import { DAY_MS, formatCalendarDate } from './time.js';
import { zipSingleFile } from './zip.js';

/**
 * An account's activities: the models (kept in memory; small), the FIT files and their ZIPs
 * (generated on demand, a bounded number cached), the corrupt-FIT fault set and the search
 * used by the activity list.
 */
export interface ActivitySearch {
  start: number;
  limit: number;
  /** 00:00 UTC of the first/last local calendar day to include. */
  startDateMs?: number;
  endDateMs?: number;
  activityType?: string;
  sortOrder: 'asc' | 'desc';
}

// Parent type keys, so that activityType=running also finds trail and treadmill runs.
const PARENT_KEYS: Record<number, string> = { 1: 'running', 2: 'cycling', 26: 'swimming', 29: 'fitness_equipment' };

function matchesType(a: ActivityModel, key: string): boolean {
  return a.sport.typeKey === key || PARENT_KEYS[a.sport.parentTypeId] === key;
}

export class ActivityStore {
  /** Oldest first. */
  private readonly models: ActivityModel[] = [];
  private readonly byId = new Map<number, ActivityModel>();
  private readonly fitCache: LruCache<number, { fit: Uint8Array; zip?: Uint8Array }>;
  private corrupt = new Set<number>();

  constructor(
    private readonly seed: number,
    private readonly athlete: AthleteProfile,
    count: number,
    private readonly endDateMs: number,
    cacheSize: number,
    notAfterMs?: number,
  ) {
    this.fitCache = new LruCache(cacheSize);
    initialPlacements(seed, count, endDateMs, athlete.offsetMs, notAfterMs).forEach((p, index) => {
      this.push(buildActivity(seed, athlete, index, p.id, p.startMs, p.maxMinutes));
    });
  }

  private push(a: ActivityModel): void {
    this.models.push(a);
    this.byId.set(a.id, a);
  }

  count(): number {
    return this.models.length;
  }

  /** Every activity model, oldest first. */
  all(): readonly ActivityModel[] {
    return this.models;
  }

  get(id: number): ActivityModel | undefined {
    return this.byId.get(id);
  }

  /** Ids, newest first. */
  ids(): number[] {
    return this.models.map((a) => a.id).reverse();
  }

  add(count: number): number[] {
    const added: number[] = [];
    for (let i = 0; i < count; i++) {
      const index = this.models.length;
      const previous = this.models[index - 1];
      const p = previous
        ? appendedPlacement(this.seed, index, previous)
        : // An account that started empty: the first activity is on the end date, 07:00 local.
          { startMs: this.endDateMs + 7 * 3_600_000 - this.athlete.offsetMs, maxMinutes: 240, id: 60_000_000_000 };
      const a = buildActivity(this.seed, this.athlete, index, p.id, p.startMs, p.maxMinutes);
      this.push(a);
      added.push(a.id);
    }
    return added;
  }

  /**
   * Edits an activity the way a user does in Garmin Connect (a rename, a description): those change
   * and its detail's lastUpdateDate moves to `atMs`; the original FIT stays. undefined: no such activity.
   */
  edit(id: number, patch: { name?: string; description?: string }, atMs: number): ActivityModel | undefined {
    const a = this.byId.get(id);
    if (!a) return undefined;
    if (patch.name !== undefined) a.name = patch.name;
    if (patch.description !== undefined) a.description = patch.description;
    a.editedMs = atMs;
    return a;
  }

  search(q: ActivitySearch): ActivityModel[] {
    const localDay = (a: ActivityModel) => Math.floor((a.startMs + a.offsetMs) / DAY_MS) * DAY_MS;
    let list = this.models.filter((a) => {
      if (q.startDateMs !== undefined && localDay(a) < q.startDateMs) return false;
      if (q.endDateMs !== undefined && localDay(a) > q.endDateMs) return false;
      if (q.activityType !== undefined && !matchesType(a, q.activityType)) return false;
      return true;
    });
    if (q.sortOrder === 'desc') list = list.reverse();
    return list.slice(q.start, q.start + q.limit);
  }

  /** The local calendar date an activity belongs to. */
  calendarDate(a: ActivityModel): string {
    return formatCalendarDate(a.startMs + a.offsetMs);
  }

  /** The FIT, and its download ZIP once asked for (a reader of FITs alone, the archive writer, never pays for it). */
  private files(id: number): { fit: Uint8Array; zip?: Uint8Array } | undefined {
    const cached = this.fitCache.get(id);
    if (cached) return cached;
    const a = this.byId.get(id);
    if (!a) return undefined;
    const entry = { fit: encodeActivityFit(a) };
    this.fitCache.set(id, entry);
    return entry;
  }

  fitBytes(id: number): Uint8Array | undefined {
    const f = this.files(id);
    if (!f) return undefined;
    return this.corrupt.has(id) ? corruptFit(f.fit) : f.fit;
  }

  zipBytes(id: number): Uint8Array | undefined {
    const f = this.files(id);
    const a = this.byId.get(id);
    if (!f || !a) return undefined;
    if (this.corrupt.has(id)) return zipSingleFile(`${a.id}_ACTIVITY.fit`, corruptFit(f.fit), a.startMs);
    return (f.zip ??= zipSingleFile(`${a.id}_ACTIVITY.fit`, f.fit, a.startMs));
  }

  setCorrupt(ids: Iterable<number>): void {
    this.corrupt = new Set(ids);
  }

  corruptIds(): number[] {
    return [...this.corrupt];
  }

  static knownTypeKeys(): string[] {
    return [...new Set([...SPORTS.map((s) => s.typeKey), ...Object.values(PARENT_KEYS)])];
  }
}
