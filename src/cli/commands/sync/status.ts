import type { Command } from 'commander';
import { SYNC_TYPES } from '../../../core/index.js';
import type { SyncJob } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { jobDetail, printJobTable } from '../../output/jobs.js';
import { completeArgument, examples, type DefineContext } from '../types.js';
import { resolveJobId } from '../../api/job-id.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('[job-id]', 'one job; without it, the latest job of each type')
    .addHelpText(
      'after',
      examples('garminsync sync status', 'garminsync sync status 8c1e…', 'garminsync sync status --json | jq ".jobs[].status"'),
    );
  completeArgument(cmd, 'job-ids');
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
  const latest = await latestPerType(ctx);
  if (out.json) {
    out.document({ jobs: latest });
  } else if (latest.length === 0) {
    out.info('No sync jobs yet. Next: garminsync sync start --type all --wait');
  } else {
    printJobTable(out, latest, clock.now());
  }
  return EXIT.OK;
}

/** How many of the newest jobs one request looks at for the latest job of each type. */
const RECENT = 50;

/**
 * The latest job of each sync type, in SYNC_TYPES order. One request for the newest jobs finds
 * them all unless a type's latest job is older than the newest RECENT; only such a type costs a
 * request of its own (the answer is the same as one request per type, in fewer round trips).
 */
async function latestPerType(ctx: CommandContext): Promise<SyncJob[]> {
  const recent = await ctx.api.listJobs({ limit: RECENT });
  const found = new Map<string, SyncJob>();
  for (const job of recent.items) if (!found.has(job.sync_type)) found.set(job.sync_type, job);
  const latest: SyncJob[] = [];
  for (const type of SYNC_TYPES) {
    let job = found.get(type);
    if (!job && recent.next_cursor !== null) job = (await ctx.api.listJobs({ sync_type: type, limit: 1 })).items[0];
    if (job) latest.push(job);
  }
  return latest;
}
