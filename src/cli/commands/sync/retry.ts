import type { Command } from 'commander';
import { AppError } from '../../../core/index.js';
import type { CreateJobRequest } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { completeArgument, examples, type DefineContext } from '../types.js';
import { resolveJobId } from '../../api/job-id.js';
import { reconnectOption, waitOptions } from './jobs-runner.js';
import { reportStarted } from './start.js';

interface RetryFlags {
  wait?: boolean;
  failed?: boolean;
  reconnectFor?: number;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<job-id>', 'a failed or cancelled job (or, with --failed, any ended job with failed items); a unique prefix is enough')
    .option('--failed', 'only the items that failed in that job (a completed job whose summary said "N failed")')
    .option('-w, --wait', 'follow the new job to its end');
  reconnectOption(cmd).addHelpText(
    'after',
    examples('garminsync sync retry 8c1e0b7d --wait', 'garminsync sync retry --failed 8c1e0b7d --wait') +
      '\nWithout --failed, the whole job runs again with the same type and range; items already stored are skipped.\n',
  );
  completeArgument(cmd, 'job-ids');
  ctx.bind<RetryFlags>(cmd, (c, flags, args) => runRetry(c, args[0]!, flags));
}

/** Starts a new job with the same type and range, or (`--failed`) one for only the failed items. */
export async function runRetry(ctx: CommandContext, arg: string, flags: RetryFlags): Promise<number> {
  const old = await ctx.api.getJob(await resolveJobId(ctx.api, arg));
  if (old.sync_type === 'archive') {
    throw new AppError(
      'CONFLICT',
      `Job ${old.job_id} imported an uploaded archive; import the file again: garminsync import archive FILE.zip`,
    );
  }
  let req: CreateJobRequest;
  if (flags.failed) {
    // The service checks the rest (ended, has failed items) and answers with one sentence.
    req = { sync_type: old.sync_type, retry_failed_of: old.job_id };
  } else {
    if (old.status === 'completed' && old.failed_items > 0) {
      throw new AppError(
        'CONFLICT',
        `Job ${old.job_id} completed with ${old.failed_items} failed item(s); retry those with: garminsync sync retry --failed ${old.job_id}`,
      );
    }
    if (old.status !== 'failed' && old.status !== 'cancelled') {
      throw new AppError('CONFLICT', `Job ${old.job_id} is ${old.status}; only failed or cancelled jobs can be retried.`);
    }
    req = { sync_type: old.sync_type };
    if (old.params.from) req.from = old.params.from;
    if (old.params.to) req.to = old.params.to;
    if (old.params.full) req.full = true;
    if (old.params.metrics) req.metrics = old.params.metrics;
    if (old.params.missing) req.missing = true;
  }
  const { job } = await ctx.api.createJob(req);
  const what = flags.failed ? `the ${old.failed_items} failed item(s) of ${old.sync_type} job` : `${old.sync_type} job`;
  ctx.out.info(`Retrying ${what} ${old.job_id} as job ${job.job_id}.`);
  return reportStarted({ ...waitOptions(ctx, flags.reconnectFor), wait: Boolean(flags.wait) }, [job]);
}
