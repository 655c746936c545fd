import { AppError, isAppError } from '../core/index.js';

/** The start-up steps that can fail because of the machine, each with the setting that fixes it. */
export type StartStep =
  | { step: 'data-dir'; dir: string }
  | { step: 'key'; setting: 'GARMINSYNC_JWT_KEY' | 'GARMINSYNC_ENCRYPTION_KEY'; path: string }
  | { step: 'database'; database: string }
  | { step: 'listen'; host: string; port: number };

const REASONS: Record<string, string> = {
  EADDRINUSE: 'in use',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'it does not exist',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'a file is in the way',
  EROFS: 'read-only file system',
  ENOSPC: 'the disk is full',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'the connection was reset',
  '28P01': 'the password was refused',
  '28000': 'the user may not connect',
  '3D000': 'the database does not exist',
  '3F000': 'the schema does not exist',
  '42501': 'permission denied',
  SQLITE_CANTOPEN: 'the file cannot be opened',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_READONLY: 'the file is read-only',
};

/** The errno / driver code of `e` or of the errors it wraps (AggregateError, `cause`). */
function codeOf(e: unknown, depth = 0): string | undefined {
  if (typeof e !== 'object' || e === null || depth > 4) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && !isAppError(e)) return code;
  for (const inner of (e as { errors?: unknown[] }).errors ?? []) {
    const c = codeOf(inner, depth + 1);
    if (c) return c;
  }
  return codeOf((e as { cause?: unknown }).cause, depth + 1);
}

const reason = (e: unknown): string => {
  const code = codeOf(e);
  return code ? (REASONS[code] ?? code) : 'unknown error';
};

/** A database location fit for a message: the password of a URL is never shown. */
export function safeDatabase(database: string): string {
  try {
    const u = new URL(database);
    if (!/^postgres(ql)?:$/.test(u.protocol)) return database;
    return `${u.host}${u.pathname}`;
  } catch {
    return database;
  }
}

/**
 * THE translation of a failed start-up step into one sentence naming the setting and the fix
 * (issue 12.7): "port 8787 is in use; use --port". A CONFIG_INVALID from the step (a malformed
 * key, a bad URL) keeps its own sentence; anything not recognised is rethrown as it is (a bug).
 */
export function startFailure(at: StartStep, e: unknown): AppError {
  if (isAppError(e, 'CONFIG_INVALID')) return e;
  const fail = (setting: string, message: string) => new AppError('STARTUP_FAILED', message, { setting }, { cause: e });
  const code = codeOf(e);
  switch (at.step) {
    case 'data-dir':
      return fail(
        '--data-dir',
        `the data directory ${at.dir} cannot be used (${reason(e)}); use --data-dir with a directory this user can write.`,
      );
    case 'key':
      return fail(at.setting, `the key file ${at.path} cannot be read (${reason(e)}); fix or remove it, or set ${at.setting}.`);
    case 'database':
      return fail(
        '--database',
        `the database ${safeDatabase(at.database)} cannot be opened (${reason(e)}); check --database (or GARMINSYNC_DATABASE / DATABASE_URL).`,
      );
    case 'listen':
      if (code === 'EADDRINUSE')
        return fail('--port', `port ${at.port} on ${at.host} is in use; use --port with another port (0 picks a free one).`);
      if (code === 'EACCES') return fail('--port', `port ${at.port} needs privileges here; use --port 1024 or above.`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return fail('--host', `${at.host} is not an address of this machine; use --host with one of its addresses (e.g. 127.0.0.1).`);
      throw e;
  }
}

/** Runs one start-up step, translating its failure (see {@link startFailure}). */
export async function startStep<T>(at: StartStep, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw startFailure(at, e);
  }
}
