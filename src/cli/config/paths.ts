import { isAbsolute, join } from 'node:path';

/**
 * The CLI's config directory (design.md §6): `$XDG_CONFIG_HOME/garminsync`, else
 * `~/.config/garminsync`. The same on macOS on purpose, so that docs and scripts have one path.
 * A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
 */
export function configDir(env: Record<string, string | undefined>, homeDir: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homeDir, '.config');
  return join(base, 'garminsync');
}

/** One credential file per service, named after its origin: `http-127.0.0.1-8787.json`. */
export function credentialFileName(serverUrl: string): string {
  const u = new URL(serverUrl);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const path = u.pathname.replace(/\/+$/, '');
  const raw = `${u.protocol.replace(':', '')}-${u.hostname}-${port}${path ? `-${path}` : ''}`;
  return `${raw.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}
