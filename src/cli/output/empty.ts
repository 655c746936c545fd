import { filterText, type FlagValue } from './command-line.js';

/**
 * What to say when a list is empty. With filters set and other items existing, nothing
 * matched the filters (and `known` may name what does exist); otherwise nothing is there yet,
 * and `next` says how to get some.
 */
export function emptyMessage(x: {
  /** "activities", "sync jobs" */
  plural: string;
  filters: readonly (readonly [string, FlagValue])[];
  /** Whether the unfiltered list has anything (only asked when filters are set). */
  anyWithoutFilters?: boolean;
  /** e.g. "Synced sports: running, cycling." */
  known?: string;
  /** When there is nothing at all: "No activities synced yet." */
  nothingYet: string;
  next: string;
}): string {
  const filters = filterText(x.filters);
  if (filters && x.anyWithoutFilters !== false) {
    return `No ${x.plural} match ${filters}.${x.known ? ` ${x.known}` : ''}`;
  }
  return `${x.nothingYet} Next: ${x.next}`;
}
