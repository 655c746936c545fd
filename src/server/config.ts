import { isIP } from 'node:net';
import { join } from 'node:path';
import { readSettings, refuse, renderHelp, type SettingValues } from './setting.js';
import { SERVER_HELP_FOOTER, SERVER_SETTINGS } from './settings.js';

type Values = SettingValues<typeof SERVER_SETTINGS>;

/**
 * The validated settings of `garminsync server`: the declared values (settings.ts), with the few
 * that depend on each other resolved (the Garmin target, the mode, computed defaults).
 */
export type ServerConfig = Omit<
  Values,
  'garminUrl' | 'garminDomain' | 'apiOnly' | 'workersOnly' | 'database' | 'dataDir' | 'heartbeatMs' | 'garminBurst'
> & {
  dataDir: string;
  /** A PostgreSQL URL, a sqlite: URL or a SQLite file path. */
  database: string;
  garmin: { kind: 'url'; url: string; domain: string } | { kind: 'domain'; domain: string };
  heartbeatMs: number;
  garminBurst: number;
};

/** `garminsync server --help`, generated from the declarations. */
export const serverHelp = (): string => renderHelp(SERVER_SETTINGS, 'garminsync server', SERVER_HELP_FOOTER);

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

function garminTarget(v: Values, argv: string[]): ServerConfig['garmin'] {
  const domain = v.garminDomain;
  if (v.garminUrl !== null) {
    const given = (flag: string) => argv.some((a) => a === flag || a.startsWith(`${flag}=`));
    if (given('--garmin-domain') && given('--garmin-url')) refuse('--garmin-url', 'give either --garmin-url or --garmin-domain, not both.');
    let u: URL;
    try {
      u = new URL(v.garminUrl);
    } catch {
      refuse('--garmin-url', `"${v.garminUrl}" is not a URL (e.g. http://127.0.0.1:9797).`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') refuse('--garmin-url', 'must be http:// or https://.');
    return { kind: 'url', url: v.garminUrl.replace(/\/+$/, ''), domain };
  }
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(domain)) refuse('--garmin-domain', `"${domain}" is not a domain (e.g. garmin.com).`);
  return { kind: 'domain', domain };
}

/**
 * Parses and validates the server settings once (style.md rule 9). Every error names the
 * setting and what to do. `defaultDataDir` comes from env-paths at the composition root.
 */
export function parseServerConfig(argv: string[], env: Record<string, string | undefined>, defaultDataDir: string): ServerConfig {
  const v = readSettings(SERVER_SETTINGS, argv, env, 'garminsync server');
  const { garminUrl: _u, garminDomain: _d, apiOnly, workersOnly, ...rest } = v;
  if (apiOnly && workersOnly) refuse('--api-only', 'cannot be combined with --workers-only.');
  const mode = apiOnly ? 'api' : workersOnly ? 'workers' : v.mode;
  if (!isLoopback(v.host) && !v.allowUsers?.length) {
    refuse(
      '--host',
      `refusing to listen on ${v.host} (reachable from other machines) without an allow-list: add --allow-users you@example.com or bind 127.0.0.1.`,
    );
  }
  if (v.sessionMaxMs < v.sessionIdleMs) refuse('--session-max', 'must not be shorter than --session-idle.');
  const dataDir = v.dataDir ?? defaultDataDir;
  return {
    ...rest,
    mode,
    dataDir,
    database: v.database ?? join(dataDir, 'garminsync.db'),
    garmin: garminTarget(v, argv),
    allowUsers: v.allowUsers?.length ? v.allowUsers : null,
    trustProxy: v.trustProxy?.length ? v.trustProxy : null,
    heartbeatMs: v.heartbeatMs ?? Math.max(10, Math.floor(v.leaseMs / 3)),
    garminBurst: v.garminBurst ?? Math.max(10, v.garminRatePerSec * 2),
  };
}
