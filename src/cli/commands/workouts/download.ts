import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText } from '../../output/format.js';
import { checkWorkoutId } from '../errors.js';
import { saveFit } from '../fit-file.js';
import { examples, type DefineContext } from '../types.js';

interface DownloadFlags {
  out?: string;
  force?: boolean;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<workout-id>', "Garmin's workout id")
    .option('-o, --out <path>', 'where to write the FIT file (default workout-<id>.fit; - for stdout)')
    .option('-f, --force', 'overwrite the file when it exists')
    .addHelpText(
      'after',
      '\nOne workout at a time; `garminsync export DIR` mirrors all of them.\n' +
        examples('garminsync workouts download 1000123', 'garminsync workouts download 1000123 --out intervals.fit'),
    );
  ctx.bind<DownloadFlags>(cmd, (c, flags, args) => runDownload(c, checkWorkoutId(args[0]!), flags));
}

/** Streams a workout's FIT file (the one Garmin sends to devices) to disk or stdout. */
export async function runDownload(ctx: CommandContext, id: string, flags: DownloadFlags): Promise<number> {
  const target = flags.out ?? `workout-${id}.fit`;
  const size = await saveFit(ctx, (signal) => ctx.api.workoutFit(id, signal), target, Boolean(flags.force));
  if (target === '-') return EXIT.OK;
  if (ctx.out.json) ctx.out.document({ workout_id: id, path: target, size_bytes: size });
  else ctx.out.success(`Saved ${target} (${bytesText(size)}).`);
  return EXIT.OK;
}
