import type { Command } from 'commander';
import { AppError } from '../../../core/index.js';
import type { CreateJobRequest } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { examples, type DefineContext } from '../types.js';
import { reportStarted } from './start.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<job-id>', 'a failed or cancelled job')
    .option('-w, --wait', 'follow the new job to its end')
    .addHelpText('after', examples('garminsync sync retry 8c1e… --wait'));
  ctx.bind<{ wait?: boolean }>(cmd, (c, flags, args) => runRetry(c, args[0]!, Boolean(flags.wait)));
}

/** Starts a new job with the same type and range; items already stored are skipped by the service. */
export async function runRetry(ctx: CommandContext, jobId: string, wait: boolean): Promise<number> {
  const old = await ctx.api.getJob(jobId);
  if (old.status !== 'failed' && old.status !== 'cancelled') {
    throw new AppError('CONFLICT', `Job ${jobId} is ${old.status}; only failed or cancelled jobs can be retried.`);
  }
  if (old.sync_type === 'archive') {
    throw new AppError('CONFLICT', `Job ${jobId} imported an uploaded archive; import the file again: garminsync import archive FILE.zip`);
  }
  const req: CreateJobRequest = { sync_type: old.sync_type };
  if (old.params.from) req.from = old.params.from;
  if (old.params.to) req.to = old.params.to;
  if (old.params.full) req.full = true;
  const { job } = await ctx.api.createJob(req);
  ctx.out.info(`Retrying ${old.sync_type} job ${old.job_id} as job ${job.job_id}.`);
  return reportStarted({ io: ctx.io, api: ctx.api, clock: ctx.clock, out: ctx.out, wait }, [job]);
}
