import { addDays, parseHealthMetrics, utcDate, type Clock } from '../../core/index.js';
import type { HealthMetricRepository, JobFailureRepository } from '../../store/index.js';
import { computeCoverage, type Coverage } from './coverage.js';

export interface CoverageServiceOptions {
  healthMetrics: Pick<HealthMetricRepository, 'statusRange'>;
  failures: Pick<JobFailureRepository, 'healthFailures'>;
  clock: Clock;
}

/** Days a coverage report spans when no `from` is given. */
export const DEFAULT_COVERAGE_DAYS = 30;

/**
 * Coverage of a user's health data (issue 15): per family and per day, present / empty /
 * missing / failed / partial, and where the stored copy came from (API or archive).
 */
export class CoverageService {
  constructor(private readonly o: CoverageServiceOptions) {}

  /** [from, to] default to the 30 days ending today (UTC); `metrics` is a comma list or `all` (VALIDATION_FAILED when unknown). */
  async report(userId: string, q: { from?: string; to?: string; metrics?: string }, signal?: AbortSignal): Promise<Coverage> {
    const to = q.to ?? utcDate(this.o.clock.now());
    const from = q.from ?? addDays(to, -(DEFAULT_COVERAGE_DAYS - 1));
    const metrics = q.metrics === undefined ? undefined : parseHealthMetrics(q.metrics);
    signal?.throwIfAborted();
    const statuses = from <= to ? await this.o.healthMetrics.statusRange(userId, from, to) : [];
    signal?.throwIfAborted();
    const failures = from <= to ? await this.o.failures.healthFailures(userId, from, to) : [];
    return computeCoverage(from, to, statuses, failures, metrics);
  }
}
