import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { completeArgument, examples, type DefineContext } from '../types.js';
import { resolveJobId } from '../../api/job-id.js';
import { reconnectOption, waitForJobs, waitOptions } from './jobs-runner.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd.argument('<job-id>', 'the job to follow');
  reconnectOption(cmd).addHelpText(
    'after',
    examples('garminsync sync watch 8c1e…', 'garminsync sync watch 8c1e… --json   # NDJSON: one event per line') +
      '\nCtrl-C stops watching; the job goes on. A service that restarts is waited for (--reconnect-for, default 60s).\n' +
      'Exit code: 0 completed, 5 failed, 6 cancelled, 7 the service did not come back in time, 130 detached.\n',
  );
  completeArgument(cmd, 'job-ids');
  ctx.bind<{ reconnectFor?: number }>(cmd, (c, flags, args) => runWatch(c, args[0]!, flags.reconnectFor));
}

/** Follows one job (SSE, polling fallback) with a bar on a TTY; NDJSON events with --json. */
export async function runWatch(ctx: CommandContext, jobId: string, reconnectFor?: number): Promise<number> {
  const job = await ctx.api.getJob(await resolveJobId(ctx.api, jobId), ctx.io.interrupt);
  return waitForJobs({ ...waitOptions(ctx, reconnectFor), ndjson: ctx.out.json }, [job]);
}
