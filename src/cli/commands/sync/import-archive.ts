import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { AppError } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText } from '../../output/format.js';
import { reconnectOption, waitForJobs, waitOptions } from './jobs-runner.js';
import { examples, type DefineContext } from '../types.js';

interface ArchiveFlags {
  wait?: boolean;
  reconnectFor?: number;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<file.zip>', 'the ZIP that Garmin mailed after an "Export Your Data" request')
    .option('-w, --wait', 'follow the import job to its end with progress');
  reconnectOption(cmd).addHelpText(
    'after',
    '\nStreams the archive to the service, which imports activities (with their original FIT files) and\n' +
      'daily health data as a job of type "archive". The same keys as a sync are used, so an import and\n' +
      'an API sync in either order give one copy of everything; where both have a value, the API wins.\n' +
      'Personal files in the archive (customer record, contacts, consents, orders) are never read.\n' +
      examples('garminsync import archive ~/Downloads/export.zip --wait', 'garminsync sync list --type archive'),
  );
  ctx.bind<ArchiveFlags>(cmd, (c, flags, args) => runImportArchive(c, args[0]!, flags));
}

/** Uploads an archive and starts its import job; with --wait follows it like `sync start --wait`. */
export async function runImportArchive(ctx: CommandContext, path: string, flags: ArchiveFlags): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new AppError('VALIDATION_FAILED', `No archive file at ${path}.`);
  const { max_bytes } = await ctx.api.imports();
  if (info.size > max_bytes)
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `${path} is ${bytesText(info.size)}; this service accepts archives up to ${bytesText(max_bytes)}.`,
    );
  ctx.out.info(`Uploading ${path} (${bytesText(info.size)})…`);
  const open = () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  const { import: imp, job } = await ctx.api.uploadArchive(open, info.size, ctx.io.interrupt);
  if (!flags.wait) {
    if (ctx.out.json) ctx.out.document({ import: imp, job });
    else {
      ctx.out.data(`${job.job_id}`);
      ctx.out.info(`Uploaded; import job ${job.job_id} started. Follow it with: garminsync sync watch ${job.job_id}`);
    }
    return EXIT.OK;
  }
  return waitForJobs(waitOptions(ctx, flags.reconnectFor), [job]);
}
