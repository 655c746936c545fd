/** A flag to repeat in a suggested command; undefined/false values are left out, true is a bare flag. */
export type FlagValue = string | number | boolean | undefined | null;

/** Quotes a word for a POSIX shell only when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line to suggest: `garminsync activities list --sport running --limit 3`. The flags
 * come in the order given; `server` (when the user gave --server) comes last, so that following
 * the suggestion talks to the same service.
 */
export function commandLine(words: string, flags: readonly (readonly [string, FlagValue])[] = [], server?: string): string {
  const parts = [`garminsync ${words}`];
  for (const [flag, value] of flags) {
    if (value === undefined || value === null || value === false) continue;
    parts.push(value === true ? flag : `${flag} ${shellWord(String(value))}`);
  }
  if (server) parts.push(`--server ${shellWord(server)}`);
  return parts.join(' ');
}

/** The filters that were set, as `--sport running --type activities` for messages. */
export function filterText(filters: readonly (readonly [string, FlagValue])[]): string {
  return filters
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([f, v]) => (v === true ? f : `${f} ${shellWord(String(v))}`))
    .join(' ');
}
