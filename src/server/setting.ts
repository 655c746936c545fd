import { isIP } from 'node:net';
import { Command, CommanderError, Option } from 'commander';
import { AppError, formatDuration, parseDuration } from '../core/index.js';

/**
 * One server setting, declared once (issue 11.7): parsing, `garminsync server --help` and the
 * settings table of docs/deployment.md all come from this declaration.
 */
export interface SettingSpec<T> {
  /** The flag (`--port`); absent for settings that only come from the environment (secrets). */
  flag?: `--${string}`;
  /** Placeholder of the flag's value (`N`, `URL`); absent for a switch (`--api-only`). */
  arg?: string;
  /** Environment variables read when the flag is not given, first one set wins. */
  env?: readonly string[];
  /** The default as the user would type it; it goes through `parse` like user input. */
  default?: string;
  /** How the default reads in help and docs when it is computed (`DATA_DIR/garminsync.db`). */
  defaultText?: string;
  /** One help line. */
  help: string;
  /** Longer advice for the docs table only. */
  note?: string;
  /** Validates and converts the raw text; throws CONFIG_INVALID naming `name`. */
  parse: (raw: string, name: string) => T;
}

/** The values a table of declarations yields: a setting without a default may be null. */
export type SettingValues<D extends Record<string, SettingSpec<unknown>>> = {
  -readonly [K in keyof D]: D[K] extends { default: string } ? ReturnType<D[K]['parse']> : ReturnType<D[K]['parse']> | null;
};

/** A refusal that names the setting and says what to do (style.md rule 9). */
export function refuse(setting: string, message: string): never {
  throw new AppError('CONFIG_INVALID', `${setting}: ${message}`, { setting });
}

// --- parsers: each returns a (raw, name) => value for a declaration ---

export const text =
  (what = 'a value') =>
  (raw: string, name: string): string => {
    const v = raw.trim();
    if (!v) refuse(name, `must not be empty (give ${what}).`);
    return v;
  };

export const int =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      refuse(name, `must be a whole number from ${min} to ${max} (got "${raw}").`);
    return n;
  };

export const duration =
  (minMs: number, maxMs = Number.MAX_SAFE_INTEGER, why = '') =>
  (raw: string, name: string): number => {
    const ms = parseDuration(raw);
    if (ms === null) refuse(name, `must be a duration such as 90s, 15m, 6h or 30d (got "${raw}").`);
    if (ms < minMs) refuse(name, `must be at least ${formatDuration(minMs)} (got "${raw}").`);
    if (ms > maxMs) refuse(name, `must be at most ${formatDuration(maxMs)}${why ? ` (${why})` : ''}.`);
    return ms;
  };

export const oneOf =
  <const C extends readonly string[]>(choices: C) =>
  (raw: string, name: string): C[number] => {
    if (!choices.includes(raw)) refuse(name, `must be one of ${choices.join(', ')} (got "${raw}").`);
    return raw as C[number];
  };

export const list =
  (check: (item: string, name: string) => void, lower = false) =>
  (raw: string, name: string): string[] => {
    const items = raw
      .split(',')
      .map((s) => (lower ? s.trim().toLowerCase() : s.trim()))
      .filter(Boolean);
    for (const i of items) check(i, name);
    return items;
  };

export const switchOn = (raw: string): boolean => raw === 'true';

export const email = (item: string, name: string): void => {
  if (!/^[^\s@]+@[^\s@]+$/.test(item)) refuse(name, `"${item}" is not an e-mail address.`);
};

export const proxy = (item: string, name: string): void => {
  const [addr, bits] = item.split('/');
  const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= 128);
  if (!(['loopback', 'linklocal', 'uniquelocal'].includes(item) || (addr && isIP(addr) && okBits)))
    refuse(name, `"${item}" is not an address, a CIDR or loopback.`);
};

// --- the machinery: commander for argv and help, the environment, defaults ---

type Specs = Record<string, SettingSpec<unknown>>;

const defaultOf = (s: SettingSpec<unknown>): string | undefined => s.defaultText ?? s.default;

function helpLine(s: SettingSpec<unknown>): string {
  const extra = [defaultOf(s) !== undefined && s.arg ? `default ${defaultOf(s)}` : '', s.env?.length ? `env ${s.env.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return extra ? `${s.help} (${extra})` : s.help;
}

function command(specs: Specs, name: string, footer: string): { program: Command; options: Map<string, Option> } {
  const program = new Command(name)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .helpOption('-h, --help', 'show this help')
    .configureHelp({ helpWidth: 100 })
    .allowExcessArguments(false)
    .addHelpText('after', footer);
  const options = new Map<string, Option>();
  for (const [key, s] of Object.entries(specs)) {
    if (!s.flag) continue;
    const o = new Option(s.arg ? `${s.flag} <${s.arg}>` : s.flag, helpLine(s));
    program.addOption(o);
    options.set(key, o);
  }
  return { program, options };
}

/** The environment-only settings (secrets) as lines for the end of the help text. */
function envOnlyLines(specs: Specs): string {
  const lines = Object.values(specs)
    .filter((s) => !s.flag)
    .map((s) => `  ${(s.env ?? []).join(', ')}\n      ${s.help}${defaultOf(s) ? ` (default ${defaultOf(s)})` : ''}`);
  return lines.length ? `\nEnvironment only (kept out of ps):\n${lines.join('\n')}` : '';
}

/** `--help` text generated from the declarations. */
export function renderHelp(specs: Specs, name: string, footer: string): string {
  const { program } = command(specs, name, '');
  return `${program.helpInformation()}${envOnlyLines(specs)}\n${footer}\n`;
}

/**
 * Reads every declared setting: the flag wins, then the first environment variable set, then the
 * default. A refusal names where the bad value came from (`--port` or `GARMINSYNC_PORT`).
 */
export function readSettings<D extends Specs>(
  specs: D,
  argv: string[],
  env: Record<string, string | undefined>,
  name: string,
): SettingValues<D> {
  const { program, options } = command(specs, name, '');
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    refuse('arguments', `${e.message.replace(/^error: /, '').replace(/\.$/, '')}. Run ${name} --help.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(specs)) {
    const opt = options.get(key);
    const given = opt ? program.getOptionValue(opt.attributeName()) : undefined;
    let raw: string | undefined;
    let from = s.flag ?? s.env?.[0] ?? key;
    if (given !== undefined) raw = String(given);
    else {
      const envName = s.env?.find((n) => env[n] !== undefined && env[n] !== '');
      if (envName) [raw, from] = [env[envName], envName];
      else raw = s.default;
    }
    out[key] = raw === undefined ? null : s.parse(raw, from);
  }
  return out as SettingValues<D>;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The settings table of docs/deployment.md, generated from the declarations (a test keeps them equal). */
export function renderSettingsTable(specs: Specs): string {
  const rows = Object.values(specs).map((s) => {
    const flag = s.flag ? `\`${s.flag}${s.arg ? ` ${s.arg}` : ''}\`` : '–';
    const env = (s.env ?? []).map((e) => `\`${e}\``).join(', ') || '–';
    const def = s.defaultText ?? (s.default === undefined ? '–' : `\`${s.default}\``);
    const what = [s.help, s.note].filter(Boolean).join('; ');
    return `| ${flag} | ${env} | ${cell(def)} | ${cell(what)} |`;
  });
  return ['| flag | environment | default | what it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

const TABLE_START = '<!-- settings-table: generated from src/server/settings.ts by `npm run docs:settings` -->';
const TABLE_END = '<!-- /settings-table -->';

/** `doc` with the text between the settings-table markers replaced by the generated table. */
export function replaceSettingsTable(doc: string, specs: Specs): string {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the settings-table markers are missing (${TABLE_START})`);
  return `${doc.slice(0, start)}${TABLE_START}\n\n${renderSettingsTable(specs)}\n\n${doc.slice(end)}`;
}
