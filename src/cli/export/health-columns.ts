import { HEALTH_FAMILY_SHAPES, type HealthDayDetail, type HealthMetricEntry } from '../../contract/index.js';
import { HEALTH_METRICS, type HealthMetric } from '../../core/index.js';
import type { Column } from './tables.js';

/**
 * The columns of `health/<family>.csv`, derived from the contract's documented shape of each
 * family (src/contract/health-families.ts): its scalar fields, and the scalar fields of its
 * nested objects as `parent.child`. Series and free-form parts stay in the day's JSON. A family
 * whose data is a list (steps buckets, readiness snapshots) gets one row per element. Units
 * documented in the contract become a suffix (`weight_g`, `lastNightAvg_ms`).
 */
interface SchemaLike {
  type?: string;
  anyOf?: SchemaLike[];
  properties?: Record<string, SchemaLike>;
  items?: SchemaLike;
  description?: string;
}

const UNITS: Record<string, string> = { grams: 'g', metres: 'm', seconds: 's', ms: 'ms', '%': 'pct', bpm: 'bpm' };
const SCALARS = new Set(['number', 'integer', 'string', 'boolean']);

function scalar(s: SchemaLike): boolean {
  if (s.type && SCALARS.has(s.type)) return true;
  return (
    Array.isArray(s.anyOf) &&
    s.anyOf.some((x) => x.type && SCALARS.has(x.type)) &&
    s.anyOf.every((x) => x.type === 'null' || (x.type !== undefined && SCALARS.has(x.type)))
  );
}

function objectOf(s: SchemaLike): SchemaLike | null {
  if (s.properties) return s;
  return s.anyOf?.find((x) => x.properties) ?? null;
}

/** Field paths (and their header) of an object shape: scalars, then scalars one level down. */
function fieldsOf(shape: SchemaLike): { path: string[]; header: string }[] {
  const out: { path: string[]; header: string }[] = [];
  const header = (path: string[], s: SchemaLike) => {
    const unit = s.description ? UNITS[s.description.trim()] : undefined;
    return unit ? `${path.join('.')}_${unit}` : path.join('.');
  };
  for (const [k, v] of Object.entries(shape.properties ?? {})) {
    if (scalar(v)) out.push({ path: [k], header: header([k], v) });
    const inner = objectOf(v);
    if (inner && !scalar(v))
      for (const [k2, v2] of Object.entries(inner.properties ?? {}))
        if (scalar(v2)) out.push({ path: [k, k2], header: header([k, k2], v2) });
  }
  return out;
}

/** One CSV row's source: a day, its family entry, and one element of the data (or the data). */
export interface FamilyRow {
  date: string;
  entry: HealthMetricEntry;
  item: unknown;
}

const at = (v: unknown, path: string[]): string | number | null => {
  let cur: unknown = v;
  for (const p of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[p] : undefined;
  return typeof cur === 'number' || typeof cur === 'string' ? cur : typeof cur === 'boolean' ? String(cur) : null;
};

/** The stable columns of one family's CSV. */
export function familyColumns(family: HealthMetric): Column<FamilyRow>[] {
  const shape = HEALTH_FAMILY_SHAPES[family] as SchemaLike;
  const element = shape.type === 'array' && shape.items ? shape.items : shape;
  return [
    { header: 'calendar_date', value: (r) => r.date },
    { header: 'state', value: (r) => r.entry.state },
    { header: 'complete', value: (r) => String(r.entry.complete) },
    { header: 'source', value: (r) => r.entry.source },
    { header: 'fetched_at_utc', value: (r) => r.entry.fetched_at },
    ...fieldsOf(element).map((f) => ({ header: f.header, value: (r: FamilyRow) => at(r.item, f.path) })),
  ];
}

/** The rows of one family over the given days (oldest first); list families give one row per element. */
export function familyRows(family: HealthMetric, days: readonly HealthDayDetail[]): FamilyRow[] {
  const list = (HEALTH_FAMILY_SHAPES[family] as SchemaLike).type === 'array';
  const rows: FamilyRow[] = [];
  for (const d of days) {
    const entry = d.metrics[family];
    if (!entry) continue;
    if (list && Array.isArray(entry.data) && entry.data.length > 0)
      for (const item of entry.data) rows.push({ date: d.calendar_date, entry, item });
    else rows.push({ date: d.calendar_date, entry, item: list ? null : entry.data });
  }
  return rows;
}

export { HEALTH_METRICS };
