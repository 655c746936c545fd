import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import { credentialFileName } from '../config/paths.js';
import type { Keyring } from './keyring.js';
import { ensurePrivateDir, readPrivateFile, writePrivateFileAtomic, type ExposedFile } from './secure-file.js';

/** What the CLI keeps of a session: the raw tokens of design.md §3 plus when they expire. */
export interface Credentials {
  server: string;
  username: string | null;
  session_id: string;
  user_id: string;
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  scope: string;
  /** Access token expiry (ISO). */
  expires_at: string;
  /** The session's end if not refreshed before; each refresh moves it (sliding session). */
  refresh_expires_at: string;
  /** The session's end at the latest (absent in files written before sessions slid). */
  session_absolute_expires_at?: string;
  mfa_verified: boolean;
  saved_at: string;
}

/** The file's shape: with the keyring backend the two tokens live in the keyring instead. */
interface CredentialFile extends Omit<Credentials, 'access_token' | 'refresh_token'> {
  version: 1;
  backend: 'file' | 'keyring';
  access_token?: string;
  refresh_token?: string;
}

export interface CredentialStoreOptions {
  /** The config directory (0700); credential files live in `<dir>/credentials/`. */
  dir: string;
  server: string;
  /** null: file only. */
  keyring: Keyring | null;
  /** Where the visible fallback notice goes (stderr). */
  warn: (line: string) => void;
  /** The user asked for the keyring (credential_backend=keyring) even if none was found. */
  keyringRequired?: boolean;
}

/**
 * The credential store of design.md §6: one 0600 file per service in a 0700 directory, written
 * atomically, refused when group/other-readable; a cross-process lock serialises refreshes.
 * With a keyring, the tokens go to the keyring and the file keeps the rest.
 */
export class CredentialStore {
  readonly path: string;
  readonly lockPath: string;
  private readonly dir: string;

  constructor(private readonly opts: CredentialStoreOptions) {
    this.dir = join(opts.dir, 'credentials');
    this.path = join(this.dir, credentialFileName(opts.server));
    this.lockPath = `${this.path}.lock`;
  }

  /** Reads the credentials; undefined when there are none for this service. */
  async load(): Promise<Credentials | undefined> {
    return this.parse(await readPrivateFile(this.path));
  }

  /**
   * Reads the credentials even from a file others can read or that is a symbolic link (reported
   * through `onExposed`): for `auth logout`, whose job is to revoke and delete exactly such a file.
   */
  async loadExposed(onExposed: (e: ExposedFile) => void): Promise<Credentials | undefined> {
    return this.parse(await readPrivateFile(this.path, onExposed));
  }

  private async parse(text: string | undefined): Promise<Credentials | undefined> {
    if (text === undefined) return undefined;
    let file: CredentialFile;
    try {
      file = JSON.parse(text) as CredentialFile;
    } catch {
      throw new AppError('LOGIN_REQUIRED', `The credential file ${this.path} is damaged; run \`garminsync auth login\`.`, {
        path: this.path,
      });
    }
    let tokens = { access_token: file.access_token, refresh_token: file.refresh_token };
    if (file.backend === 'keyring') {
      if (!this.opts.keyring) {
        throw new AppError(
          'LOGIN_REQUIRED',
          `The tokens are in the OS keyring, which is not available now; run \`garminsync auth login\`.`,
        );
      }
      const secret = await this.opts.keyring.get(this.opts.server).catch(() => undefined);
      if (!secret) {
        throw new AppError('LOGIN_REQUIRED', `The tokens could not be read from the OS keyring; run \`garminsync auth login\`.`);
      }
      try {
        tokens = JSON.parse(secret) as typeof tokens;
      } catch {
        throw new AppError('LOGIN_REQUIRED', `The tokens in the OS keyring are damaged; run \`garminsync auth login\`.`);
      }
    }
    if (!tokens.access_token || !tokens.refresh_token) return undefined;
    const { version: _v, backend: _b, ...rest } = file;
    return { ...rest, access_token: tokens.access_token, refresh_token: tokens.refresh_token };
  }

  /** Where the tokens are kept now: 'file' or 'keyring', read from the file. */
  async backend(): Promise<'file' | 'keyring' | undefined> {
    const text = await readPrivateFile(this.path);
    if (text === undefined) return undefined;
    try {
      return (JSON.parse(text) as CredentialFile).backend === 'keyring' ? 'keyring' : 'file';
    } catch {
      return 'file';
    }
  }

  /** Saves atomically; tries the keyring first when there is one and says so when it falls back. */
  async save(creds: Credentials): Promise<'file' | 'keyring'> {
    const { access_token, refresh_token, ...rest } = creds;
    if (this.opts.keyring) {
      try {
        await this.opts.keyring.set(this.opts.server, JSON.stringify({ access_token, refresh_token }));
        await writePrivateFileAtomic(this.path, serialise({ version: 1, backend: 'keyring', ...rest }));
        return 'keyring';
      } catch (e) {
        this.opts.warn(
          `Could not use the OS keyring (${e instanceof Error ? e.message : String(e)}); the tokens are stored in ${this.path} (mode 0600) instead.`,
        );
      }
    }
    if (!this.opts.keyring && this.opts.keyringRequired) {
      this.opts.warn(`No OS keyring was found (secret-tool is not on PATH); the tokens are stored in ${this.path} (mode 0600) instead.`);
    }
    await writePrivateFileAtomic(this.path, serialise({ version: 1, backend: 'file', ...rest, access_token, refresh_token }));
    return 'file';
  }

  /** Deletes the credentials (logout only: losing a refresh race never calls this). */
  async remove(): Promise<boolean> {
    const existed = (await readPrivateFile(this.path, () => {}).catch(() => 'x')) !== undefined;
    if (this.opts.keyring) await this.opts.keyring.remove(this.opts.server).catch(() => {});
    await rm(this.path, { force: true });
    return existed;
  }

  /**
   * Runs `fn` while holding the cross-process lock of this service's credentials. Concurrent CLI
   * processes queue here; `fn` must re-read the file, since another process may have refreshed.
   */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    await ensurePrivateDir(this.dir);
    let release: () => Promise<void>;
    try {
      // Loaded here, not at the top: proper-lockfile (with graceful-fs) costs 20–35 ms to load,
      // and only a refresh or a login takes the lock — not every command that reads credentials.
      const { default: lockfile } = await import('proper-lockfile');
      release = await lockfile.lock(this.path, {
        realpath: false,
        lockfilePath: this.lockPath,
        stale: 15_000,
        update: 5_000,
        retries: { retries: 200, factor: 1.2, minTimeout: 10, maxTimeout: 200, randomize: true },
        onCompromised: () => {
          // Another process judged our lock stale; our write is still atomic, so carry on.
        },
      });
    } catch (e) {
      throw new AppError('INTERNAL', `Could not lock ${this.path} to refresh the session; try again.`, {}, { cause: e });
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => {});
    }
  }
}

function serialise(file: CredentialFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
