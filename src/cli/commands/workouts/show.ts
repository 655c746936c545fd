import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText } from '../../output/format.js';
import { checkWorkoutId } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<workout-id>', "Garmin's workout id")
    .addHelpText('after', examples('garminsync workouts show 1000123', 'garminsync workouts show 1000123 --json | jq .raw'));
  ctx.bind(cmd, (c, _flags, args) => runShow(c, checkWorkoutId(args[0]!)));
}

/** Counts the steps of Garmin's workout definition (repeat groups hold their own steps). */
function stepCount(raw: unknown): number | null {
  const segments = (raw as { workoutSegments?: { workoutSteps?: unknown[] }[] } | null)?.workoutSegments;
  if (!Array.isArray(segments)) return null;
  const count = (steps: unknown[]): number =>
    steps.reduce<number>((n, s) => {
      const inner = (s as { workoutSteps?: unknown[] }).workoutSteps;
      return n + (Array.isArray(inner) ? count(inner) : 1);
    }, 0);
  return segments.reduce((n, seg) => n + count(Array.isArray(seg.workoutSteps) ? seg.workoutSteps : []), 0);
}

/** One workout: its summary lines, or the whole document (with Garmin's definition) as --json. */
export async function runShow(ctx: CommandContext, id: string): Promise<number> {
  const w = await ctx.api.getWorkout(id, ctx.io.interrupt);
  if (ctx.out.json) {
    ctx.out.document(w);
    return EXIT.OK;
  }
  const steps = stepCount(w.raw);
  const rows: [string, string][] = [
    ['Workout', w.workout_id],
    ['Name', w.name ?? '-'],
    ['Sport', w.sport ?? '-'],
    ['Steps', steps === null ? '-' : String(steps)],
    ['Updated', ctx.out.fmt.time(w.updated_at)],
    ['FIT file', w.fit ? `${bytesText(w.fit.size_bytes)}, sha256 ${w.fit.sha256}` : 'not stored'],
    ['Synced', ctx.out.fmt.when(w.synced_at, ctx.clock.now())],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) ctx.out.data(`${`${k}:`.padEnd(width + 1)} ${v}`);
  if (w.fit) ctx.out.info(`Next: garminsync workouts download ${w.workout_id}`);
  return EXIT.OK;
}
