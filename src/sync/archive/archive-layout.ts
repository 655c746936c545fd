/**
 * Which entries of a Garmin account-export archive the importer reads, found by pattern rather
 * than fixed paths (the layout changed over the years: garmin-archive.md §1–2). Everything not
 * listed here is never opened — in particular the personal files (customer record, emergency
 * contacts, consents, orders, forms, events) and all configuration files.
 */
export type ArchiveEntryKind = 'activities' | 'daily_summary' | 'sleep' | 'health_status' | 'biometrics' | 'fit';

const PATTERNS: readonly [ArchiveEntryKind, RegExp][] = [
  ['activities', /(^|\/)[^/]*_summarizedActivities\.json$/i],
  ['daily_summary', /(^|\/)UDSFile_[^/]*\.json$/i],
  ['sleep', /(^|\/)[^/]*_sleepData\.json$/i],
  ['health_status', /(^|\/)[^/]*_healthStatusData\.json$/i],
  ['biometrics', /(^|\/)[^/]*_userBioMetrics\.json$/i],
];

/** Never opened, whatever their name might match (belt and braces over the allow-list above). */
const PERSONAL = /(^|\/)(customer_data|IT_CONSENT[^/]*|IT_ORDERS|IT_FORMS|IT_GLOBAL_EVENTS?)\/|(^|\/)user_contact\.json$/i;

/** The kind of an entry to import, or undefined for entries the importer never reads. */
export function entryKind(path: string): ArchiveEntryKind | undefined {
  if (PERSONAL.test(path)) return undefined;
  // FIT files come from the uploaded-files parts (in any era's folder) or nested ZIPs.
  if (/\.fit$/i.test(path)) return path.includes('!/') || /uploaded/i.test(path) ? 'fit' : undefined;
  for (const [kind, re] of PATTERNS) if (re.test(path)) return kind;
  return undefined;
}

/** Nested ZIPs worth descending into: the uploaded-files parts (and older `*_ACTIVITY.zip`). */
export function isFitContainer(path: string): boolean {
  return !PERSONAL.test(path) && (/uploaded/i.test(path) || /_ACTIVITY\.zip$/i.test(path) || path.includes('!/'));
}
