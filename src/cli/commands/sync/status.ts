import type { Command } from 'commander';
import { SYNC_TYPES } from '../../../core/index.js';
import type { SyncJob } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { jobDetail, printJobTable } from '../../output/jobs.js';
import { examples, type DefineContext } from '../types.js';
import { resolveJobId } from './job-id.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('[job-id]', 'one job; without it, the latest job of each type')
    .addHelpText(
      'after',
      examples('garminsync sync status', 'garminsync sync status 8c1e…', 'garminsync sync status --json | jq ".jobs[].status"'),
    );
  ctx.bind(cmd, (c, _flags, args) => runStatus(c, args[0]));
}

export async function runStatus(ctx: CommandContext, jobId: string | undefined): Promise<number> {
  const { out, clock } = ctx;
  if (jobId) {
    const job = await ctx.api.getJob(await resolveJobId(ctx.api, jobId));
    if (out.json) {
      out.document(job);
      return EXIT.OK;
    }
    for (const line of jobDetail(out, job, clock.now())) out.data(line);
    if (job.failed_items > 0) {
      const { items } = await ctx.api.jobFailures(job.job_id);
      out.data('Failed items:');
      for (const f of items) out.data(`  ${f.item_key}  ${f.error_code}  ${f.error_message}`);
    }
    return EXIT.OK;
  }
  const latest: SyncJob[] = [];
  for (const type of SYNC_TYPES) {
    const page = await ctx.api.listJobs({ sync_type: type, limit: 1 });
    if (page.items[0]) latest.push(page.items[0]);
  }
  if (out.json) {
    out.document({ jobs: latest });
  } else if (latest.length === 0) {
    out.info('No sync jobs yet. Next: garminsync sync start --type all --wait');
  } else {
    printJobTable(out, latest, clock.now());
  }
  return EXIT.OK;
}
