import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText } from '../../output/format.js';
import { checkActivityId } from '../errors.js';
import { saveFit } from '../fit-file.js';
import { examples, type DefineContext } from '../types.js';

interface DownloadFlags {
  out?: string;
  force?: boolean;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<activity-id>', "Garmin's activity id")
    .option('-o, --out <path>', 'where to write the FIT file (default <id>.fit; - for stdout)')
    .option('-f, --force', 'overwrite the file when it exists')
    .addHelpText(
      'after',
      '\nOne activity at a time. To download many (or everything), use `garminsync export DIR`:\nit mirrors all synced files into a folder and fetches only what is new.\n' +
        examples(
          'garminsync activities download 12345678901',
          'garminsync activities download 12345678901 --out run.fit --force',
          'garminsync activities download 12345678901 -o - | fitdump',
        ),
    );
  ctx.bind<DownloadFlags>(cmd, (c, flags, args) => runDownload(c, checkActivityId(args[0]!), flags));
}

/** Streams an activity's original FIT file to disk (never over an existing file without --force) or to stdout. */
export async function runDownload(ctx: CommandContext, id: string, flags: DownloadFlags): Promise<number> {
  const target = flags.out ?? `${id}.fit`;
  const size = await saveFit(ctx, (signal) => ctx.api.activityFit(id, signal), target, Boolean(flags.force));
  if (target === '-') return EXIT.OK;
  if (ctx.out.json) ctx.out.document({ activity_id: id, path: target, size_bytes: size });
  else ctx.out.success(`Saved ${target} (${bytesText(size)}).`);
  return EXIT.OK;
}
