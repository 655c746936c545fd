import type { Clock, Random } from '../core/index.js';
import { ApiClient } from './api/client.js';
import type { HttpFetch, HttpOptions } from './api/http.js';
import { Session } from './api/session.js';
import { ConfigStore, normaliseServerUrl, type Config } from './config/config-store.js';
import { configDir } from './config/paths.js';
import { CredentialStore } from './credentials/credential-store.js';
import type { Keyring } from './credentials/keyring.js';
import type { IO } from './io.js';
import { colorEnabled, createOutput, type Output } from './output/output.js';
import type { DateZone } from './output/time.js';
import type { Prompter } from './prompter.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8787';

/** Launches `server`/`emulator`; injected by bin/ so that the CLI never imports those rooms. */
export type Launcher = (args: string[]) => Promise<number>;

/** Everything from the outside world, created once by main.ts (or by a test). */
export interface CliDeps {
  io: IO;
  env: Record<string, string | undefined>;
  fetch: HttpFetch;
  clock: Clock;
  /** Jitter of the reconnect back-off (`--wait`/`watch` across a service restart). */
  random: Random;
  prompter: Prompter;
  homeDir: string;
  /** The OS keyring when one was found; null for file-only. */
  keyring: Keyring | null;
  /** The zone this process's Date uses (main.ts: TZ at start-up), so local times need no Intl. */
  dateZone?: DateZone;
  launchers?: Partial<Record<'server' | 'emulator', Launcher>>;
}

/** The global flags every command accepts. */
export interface GlobalFlags {
  server?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  utc?: boolean;
}

/** What a command's run function is built from: the deps plus resolved globals. */
export interface CommandContext {
  io: IO;
  clock: Clock;
  random: Random;
  prompter: Prompter;
  env: Record<string, string | undefined>;
  out: Output;
  server: string;
  /** Where `server` came from: suggested commands repeat `--server` only when it was a flag. */
  serverSource: 'flag' | 'env' | 'config' | 'default';
  configDir: string;
  config: ConfigStore;
  store: CredentialStore;
  api: ApiClient;
}

/** The server to repeat in a suggested command: only when the user gave it as --server. */
export function suggestedServer(ctx: Pick<CommandContext, 'server' | 'serverSource'>): string | undefined {
  return ctx.serverSource === 'flag' ? ctx.server : undefined;
}

/**
 * Resolves the global settings in their documented order (flag, environment, config file,
 * default) and builds the per-invocation objects. Nothing here touches the network.
 */
export async function createContext(deps: CliDeps, globals: GlobalFlags): Promise<CommandContext> {
  const dir = configDir(deps.env, deps.homeDir);
  const config = new ConfigStore(dir);
  const settings: Config = await config.read();
  const server = globals.server
    ? normaliseServerUrl(globals.server, '--server')
    : deps.env.GARMINSYNC_SERVER
      ? normaliseServerUrl(deps.env.GARMINSYNC_SERVER, 'GARMINSYNC_SERVER')
      : normaliseServerUrl(settings.server ?? DEFAULT_SERVER, 'the server setting');
  const colorFlag = globals.color !== false && settings.color !== 'never';
  const color = settings.color === 'always' && colorFlag && !deps.env.NO_COLOR ? true : colorEnabled(deps.io, deps.env, colorFlag);
  const out = createOutput(deps.io, {
    json: Boolean(globals.json),
    quiet: Boolean(globals.quiet),
    color,
    utc: Boolean(globals.utc),
    timeZone: deps.env.TZ,
    dateZone: deps.dateZone,
  });
  const keyring = settings.credential_backend === 'file' ? null : deps.keyring;
  const store = new CredentialStore({
    dir,
    server,
    keyring,
    warn: (line) => out.warn(line),
    keyringRequired: settings.credential_backend === 'keyring',
  });
  const trace = deps.env.GARMINSYNC_DEBUG ? (line: string) => deps.io.stderr.write(`[http] ${line}\n`) : undefined;
  const http: HttpOptions = { baseUrl: server, fetch: deps.fetch, trace };
  const session = new Session({ http, store, clock: deps.clock });
  return {
    io: deps.io,
    clock: deps.clock,
    random: deps.random,
    prompter: deps.prompter,
    env: deps.env,
    out,
    server,
    serverSource: globals.server ? 'flag' : deps.env.GARMINSYNC_SERVER ? 'env' : settings.server ? 'config' : 'default',
    configDir: dir,
    config,
    store,
    api: new ApiClient(http, session),
  };
}
