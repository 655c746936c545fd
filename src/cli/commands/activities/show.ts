import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText, durationText } from '../../output/format.js';
import { checkActivityId } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<activity-id>', "Garmin's activity id")
    .option('--details', "also fetch Garmin's time series (heart rate, speed, … per sample) and polyline, now, from Garmin")
    .addHelpText(
      'after',
      examples(
        'garminsync activities show 12345678901',
        'garminsync activities show 12345678901 --json',
        'garminsync activities show 12345678901 --details --json | jq ".details.metricDescriptors"',
      ),
    );
  ctx.bind<{ details?: boolean }>(cmd, (c, flags, args) => runShow(c, checkActivityId(args[0]!), Boolean(flags.details)));
}

type Json = Record<string, unknown>;

/** The details' channels and sizes, one line each, for people. */
function detailRows(details: unknown): [string, string][] {
  const d = (typeof details === 'object' && details !== null ? details : {}) as Json;
  const descriptors = (Array.isArray(d.metricDescriptors) ? d.metricDescriptors : []) as Json[];
  const rows = Array.isArray(d.activityDetailMetrics) ? d.activityDetailMetrics.length : 0;
  const poly = (d.geoPolylineDTO as Json | undefined)?.polyline;
  const channels = [...descriptors]
    .sort((a, b) => Number(a.metricsIndex) - Number(b.metricsIndex))
    .map((m) => String(m.key))
    .join(', ');
  return [
    ['Samples', String(rows)],
    ['Channels', channels || '-'],
    ['Polyline', Array.isArray(poly) ? `${poly.length} points` : '-'],
  ];
}

export async function runShow(ctx: CommandContext, id: string, withDetails = false): Promise<number> {
  const a = await ctx.api.getActivity(id);
  const details = withDetails ? (await ctx.api.getActivityDetails(id, ctx.io.interrupt)).details : undefined;
  if (ctx.out.json) {
    ctx.out.document(withDetails ? { ...a, details } : a);
    return EXIT.OK;
  }
  const rows: [string, string][] = [
    ['Activity', a.activity_id],
    ['Name', a.name ?? '-'],
    ['Sport', a.sport],
    ['Start', ctx.out.fmt.time(a.start_time)],
    ['Duration', durationText(a.duration_seconds)],
    ['Distance', a.distance_meters === null ? '-' : `${(a.distance_meters / 1000).toFixed(2)} km`],
    ['Calories', a.calories === null ? '-' : String(a.calories)],
    ['Average HR', a.average_hr === null ? '-' : `${a.average_hr} bpm`],
    ['FIT file', a.fit ? `${bytesText(a.fit.size_bytes)}, sha256 ${a.fit.sha256}` : 'not stored'],
    ['Synced', ctx.out.fmt.when(a.synced_at, ctx.clock.now())],
    ...(withDetails ? detailRows(details) : []),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) ctx.out.data(`${`${k}:`.padEnd(width + 1)} ${v}`);
  if (a.fit) ctx.out.info(`Next: garminsync activities download ${a.activity_id}`);
  return EXIT.OK;
}
