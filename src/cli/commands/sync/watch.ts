import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { completeArgument, examples, type DefineContext } from '../types.js';
import { resolveJobId } from '../../api/job-id.js';
import { waitForJobs } from './jobs-runner.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<job-id>', 'the job to follow')
    .addHelpText(
      'after',
      examples('garminsync sync watch 8c1e…', 'garminsync sync watch 8c1e… --json   # NDJSON: one event per line') +
        '\nCtrl-C stops watching; the job goes on. Exit code: 0 completed, 5 failed, 6 cancelled, 130 detached.\n',
    );
  completeArgument(cmd, 'job-ids');
  ctx.bind(cmd, (c, _flags, args) => runWatch(c, args[0]!));
}

/** Follows one job (SSE, polling fallback) with a bar on a TTY; NDJSON events with --json. */
export async function runWatch(ctx: CommandContext, jobId: string): Promise<number> {
  const job = await ctx.api.getJob(await resolveJobId(ctx.api, jobId), ctx.io.interrupt);
  return waitForJobs({ io: ctx.io, api: ctx.api, clock: ctx.clock, out: ctx.out, ndjson: ctx.out.json }, [job]);
}
