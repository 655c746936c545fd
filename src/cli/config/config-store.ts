import { mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import { writeFileAtomic } from '../credentials/secure-file.js';

/** The settings `garminsync config get|set` manages, with how each one is checked. */
export const CONFIG_KEYS = {
  server: 'URL of the sync service (overridden by --server and GARMINSYNC_SERVER)',
  credential_backend: 'where tokens are kept: auto (OS keyring when available, else file), file or keyring',
  color: 'auto, always or never',
} as const;
export type ConfigKey = keyof typeof CONFIG_KEYS;
export type Config = Partial<Record<ConfigKey, string>>;

export function isConfigKey(k: string): k is ConfigKey {
  return Object.hasOwn(CONFIG_KEYS, k);
}

/** Checks one value; throws CONFIG_INVALID (exit 2) with a sentence that says what is allowed. */
export function validateConfigValue(key: ConfigKey, value: string): string {
  switch (key) {
    case 'server':
      return normaliseServerUrl(value, 'server');
    case 'credential_backend':
      if (!['auto', 'file', 'keyring'].includes(value)) {
        throw new AppError('CONFIG_INVALID', `credential_backend must be auto, file or keyring, not "${value}".`);
      }
      return value;
    case 'color':
      if (!['auto', 'always', 'never'].includes(value)) {
        throw new AppError('CONFIG_INVALID', `color must be auto, always or never, not "${value}".`);
      }
      return value;
  }
}

/** An http(s) URL without a trailing slash; anything else is a usage error naming its source. */
export function normaliseServerUrl(value: string, source: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new AppError('CONFIG_INVALID', `${source} must be a URL like http://127.0.0.1:8787, not "${value}".`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new AppError('CONFIG_INVALID', `${source} must be an http or https URL, not "${value}".`);
  }
  if (u.username || u.password) throw new AppError('CONFIG_INVALID', `${source} must not contain a user name or password.`);
  u.search = '';
  u.hash = '';
  return u.toString().replace(/\/+$/, '');
}

/**
 * `<config dir>/config.json`. Settings are not secrets (only credentials are): any mode is
 * fine, and a symbolic link (a dotfile manager's) is followed, for reading and for writing.
 */
export class ConfigStore {
  readonly path: string;
  constructor(private readonly dir: string) {
    this.path = join(dir, 'config.json');
  }

  async read(): Promise<Config> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new AppError(
        'CONFIG_INVALID',
        `The config file ${this.path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); fix or delete it.`,
      );
    }
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const config: Config = {};
      for (const [k, v] of Object.entries(parsed)) if (isConfigKey(k) && typeof v === 'string') config[k] = v;
      return config;
    } catch {
      throw new AppError('CONFIG_INVALID', `The config file ${this.path} is not valid JSON; fix or delete it.`);
    }
  }

  async set(key: ConfigKey, value: string | undefined): Promise<void> {
    const config = await this.read();
    if (value === undefined) delete config[key];
    else config[key] = validateConfigValue(key, value);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Replace the file a symbolic link points to, not the link: the dotfile manager keeps it.
    const target = await realpath(this.path).catch(() => this.path);
    const mode = await stat(target).then(
      (st) => st.mode & 0o777,
      () => 0o644,
    );
    await writeFileAtomic(target, `${JSON.stringify(config, null, 2)}\n`, mode);
  }
}
