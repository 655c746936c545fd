import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText, durationText } from '../../output/format.js';
import { checkActivityId } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<activity-id>', "Garmin's activity id")
    .addHelpText('after', examples('garminsync activities show 12345678901', 'garminsync activities show 12345678901 --json'));
  ctx.bind(cmd, (c, _flags, args) => runShow(c, checkActivityId(args[0]!)));
}

export async function runShow(ctx: CommandContext, id: string): Promise<number> {
  const a = await ctx.api.getActivity(id);
  if (ctx.out.json) {
    ctx.out.document(a);
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
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) ctx.out.data(`${`${k}:`.padEnd(width + 1)} ${v}`);
  if (a.fit) ctx.out.info(`Next: garminsync activities download ${a.activity_id}`);
  return EXIT.OK;
}
