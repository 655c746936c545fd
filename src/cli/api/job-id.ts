import { AppError } from '../../core/index.js';
import type { ApiClient } from './client.js';

const FULL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The job a user means by `arg`: a whole job id as given, or any unique prefix of one (the
 * short ids tables show, `sync status cdcb3b8f`). The service finds the candidates
 * (`GET /sync/jobs?id_prefix=`); none is NOT_FOUND (exit 3), more than one a usage error
 * (exit 2) that names them. Every command that takes a job id resolves it here.
 */
export async function resolveJobId(api: Pick<ApiClient, 'listJobs'>, arg: string): Promise<string> {
  // A short id copied with the ellipsis a table ends it with ('…', escaped: bundles stay ASCII).
  const given = arg.trim().replace(/\u2026$/, '');
  if (FULL_UUID.test(given)) return given.toLowerCase();
  if (!/^[0-9A-Za-z-]{1,64}$/.test(given)) {
    throw new AppError('VALIDATION_FAILED', `"${arg}" is not a job id; job ids are like cdcb3b8f-0a1e-4c6e-9d1a-3f1c9a2e0b7d.`);
  }
  const { items } = await api.listJobs({ id_prefix: given, limit: 3 });
  if (items.length === 0) throw new AppError('NOT_FOUND', `No sync job has an id starting with ${given}; see garminsync sync list.`);
  if (items.length > 1) {
    const some = items.map((j) => j.job_id).join(', ');
    throw new AppError(
      'VALIDATION_FAILED',
      `${given} is the start of more than one job id (${some}${items.length > 2 ? ', …' : ''}); give more of it.`,
    );
  }
  return items[0]!.job_id;
}
