import type { Command } from 'commander';
import { AppError, isAppError } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { completeArgument, examples, type DefineContext } from '../types.js';
import { resolveJobId } from '../../api/job-id.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<job-id>', 'the job to cancel')
    .addHelpText(
      'after',
      examples('garminsync sync cancel 8c1e…') + '\nA pending job is cancelled at once, a running one after its current item.\n',
    );
  completeArgument(cmd, 'job-ids');
  ctx.bind(cmd, (c, _flags, args) => runCancel(c, args[0]!));
}

export async function runCancel(ctx: CommandContext, arg: string): Promise<number> {
  const jobId = await resolveJobId(ctx.api, arg);
  let job;
  try {
    job = await ctx.api.cancelJob(jobId);
  } catch (e) {
    if (isAppError(e) && (e.code === 'INVALID_TRANSITION' || e.code === 'CONFLICT')) {
      const from = typeof e.details.from === 'string' ? e.details.from : 'finished';
      // Already cancelled is what the user wants: say so and succeed (exit 0).
      if (from === 'cancelled') return alreadyCancelled(ctx, jobId);
      throw new AppError(e.code, `Job ${jobId} is already ${from}; there is nothing to cancel.`, e.details);
    }
    throw e;
  }
  if (ctx.out.json) ctx.out.document(job);
  else if (job.status === 'cancelled')
    ctx.out.success(`Cancelled ${job.sync_type} job ${job.job_id}. Next: garminsync sync retry ${job.job_id}`);
  else
    ctx.out.success(
      `Cancellation requested; ${job.sync_type} job ${job.job_id} stops after its current item. Next: garminsync sync watch ${job.job_id}`,
    );
  return EXIT.OK;
}

async function alreadyCancelled(ctx: CommandContext, jobId: string): Promise<number> {
  const job = await ctx.api.getJob(jobId);
  if (ctx.out.json) ctx.out.document(job);
  else ctx.out.success(`Job ${job.job_id} was already cancelled; nothing to do. Next: garminsync sync retry ${job.job_id}`);
  return EXIT.OK;
}
