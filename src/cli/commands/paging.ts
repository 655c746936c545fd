import type { CommandContext } from '../context.js';

/** `--server URL` when the server came from the flag, so a suggested command reaches the same service. */
export function serverFlag(ctx: CommandContext): string {
  return ctx.serverSource === 'flag' ? ` --server ${ctx.server}` : '';
}

/**
 * The command that prints the next page: the same command with the same filters (and --limit)
 * plus the cursor, so that paging never silently drops a filter.
 */
export function nextPageCommand(ctx: CommandContext, command: string, filters: Record<string, string | number | undefined>, cursor: string): string {
  const parts = [`garminsync ${command}${serverFlag(ctx)}`];
  for (const [flag, value] of Object.entries(filters)) if (value !== undefined) parts.push(`--${flag} ${shellWord(String(value))}`);
  parts.push(`--cursor ${cursor}`);
  return parts.join(' ');
}

/** Quotes a value for a POSIX shell only when it needs it. */
function shellWord(v: string): string {
  return /^[\w.,:/@=+-]+$/.test(v) ? v : `'${v.replaceAll("'", "'\\''")}'`;
}
