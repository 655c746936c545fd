import { Command, CommanderError, Option } from 'commander';
import { AppError, isAppError } from '../core/index.js';
import { COMMAND_TABLE, LAUNCHED_COMMANDS, LEAF_COMMANDS } from './commands/table.js';
import type { DefineContext, RunFn } from './commands/types.js';
import { examples } from './commands/types.js';
import { createContext, type CliDeps, type GlobalFlags } from './context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { configureHelp, helpArgv } from './help/help.js';

/** Global options that take a value; needed to find the command words in argv without parsing. */
const GLOBAL_VALUE_OPTIONS = new Set(['--server']);

/** The first two words of argv that are not options: the noun and the verb. */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (GLOBAL_VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    words.push(a);
  }
  return words;
}

/**
 * Builds the commander program. Every noun and verb is declared with its summary so that help
 * lists them, but only the verb named in argv (or all of them with `loadAll`, for completion) is
 * loaded and fully defined.
 */
export async function buildProgram(
  deps: CliDeps,
  argv: readonly string[],
  hooks: { bindRun: (run: RunFn<unknown>, cmd: Command) => Promise<void>; setExitCode: (code: number) => void },
  loadAll = false,
): Promise<Command> {
  const { io } = deps;
  const program = new Command('garminsync')
    .description('Get your own data out of Garmin Connect through the GarminSync service.')
    .addOption(new Option('--server <url>', 'sync service URL (env GARMINSYNC_SERVER; default http://127.0.0.1:8787)'))
    .option('--json', 'print exactly one JSON document on stdout (NDJSON for sync watch)')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'print only data and errors')
    .option('--utc', 'show times in UTC (default: local time, TZ)')
    .version('0.1.0', '-V, --version', 'print the version')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      getOutHelpWidth: () => Math.max(60, Math.min(io.columns, 120)),
      getErrHelpWidth: () => Math.max(60, Math.min(io.columns, 120)),
      // "error: option '--from <date>' argument 'x' is invalid. --from must be …" → our sentence only.
      outputError: (s, write) => write(`Usage error: ${s.replace(/^error: /, '').replace(/^option .* is invalid\. /, '')}`),
    })
    .exitOverride()
    .addHelpText(
      'after',
      examples(
        'garminsync auth login',
        'garminsync sync start --type all --wait',
        'garminsync sync status',
        'garminsync activities list --limit 10',
      ) +
        '\nExit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 login required, 5 job failed,\n6 job cancelled, 7 service unreachable, 8 Garmin re-login required,\n9 completed with failed items, 10 MFA code required, 130 interrupted.\n',
    );

  configureHelp(program);
  program.command('help').description('Help for a command: `garminsync help sync start` (--man: its manual page)').argument('[command...]');

  const ctx: DefineContext = {
    bind: (cmd, run) => {
      cmd.action(async () => hooks.bindRun(run as RunFn<unknown>, cmd));
    },
  };
  const [noun, verb] = commandWords(argv);

  for (const entry of COMMAND_TABLE) {
    const nounCmd = program.command(entry.name).description(entry.summary).helpCommand(false);
    for (const v of entry.verbs) {
      const verbCmd = nounCmd.command(v.name).description(v.summary);
      if (loadAll || (entry.name === noun && v.name === verb)) (await v.load()).define(verbCmd, ctx);
    }
  }
  for (const [name, leaf] of Object.entries(LEAF_COMMANDS)) {
    const cmd = program.command(name).description(leaf.summary);
    if (loadAll || noun === name) (await leaf.load()).define(cmd, ctx);
  }
  for (const [name, summary] of Object.entries(LAUNCHED_COMMANDS) as [keyof typeof LAUNCHED_COMMANDS, string][]) {
    program
      .command(name)
      .description(summary)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(async (args: string[]) => {
        const launch = deps.launchers?.[name];
        if (!launch) throw new AppError('VALIDATION_FAILED', `Run the ${name} through the binary: garminsync ${name} --help`);
        hooks.setExitCode(await launch(args));
      });
  }
  return program;
}

/**
 * Runs one CLI invocation and returns its exit code; never exits the process. Errors become one
 * sentence on stderr and the documented exit code (exit-codes.ts).
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let code: number = EXIT.OK;
  const bindRun = async (run: RunFn<unknown>, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalFlags>();
    const context = await createContext(deps, globals);
    code = await run(context, cmd.opts(), cmd.args);
  };
  try {
    const nouns = COMMAND_TABLE.map((n) => n.name);
    const asked = helpArgv(argv, new Set(nouns), new Set([...nouns, ...Object.keys(LEAF_COMMANDS), ...Object.keys(LAUNCHED_COMMANDS)]));
    const program = await buildProgram(deps, asked.argv, { bindRun, setExitCode: (c) => (code = c) });
    if (asked.man) return await printManPage(deps, program, asked.argv);
    await program.parseAsync(asked.argv, { from: 'user' });
    return code;
  } catch (e) {
    return reportError(deps, e);
  }
}

/** One sentence on stderr (no stack trace, ever) and the exit code for the error. */
export function reportError(deps: CliDeps, e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version exit 0; a noun without a verb prints its help and is a usage error,
    // like every bad flag (commander has already printed the one-line message).
    return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  const code = exitCodeFor(e);
  if (code === EXIT.INTERRUPTED && !isAppError(e)) {
    deps.io.stderr.write('\nInterrupted.\n');
  } else if (isAppError(e)) {
    deps.io.stderr.write(`${e.message}\n`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    deps.io.stderr.write(`Unexpected error: ${message}\nPlease report it with the command you ran (set GARMINSYNC_DEBUG=1 for a trace).\n`);
    if (deps.env.GARMINSYNC_DEBUG && e instanceof Error && e.stack) deps.io.stderr.write(`${e.stack}\n`);
  }
  return code;
}

/** `garminsync help --man [noun [verb]]`: the command's man page (roff) on stdout. */
async function printManPage(deps: CliDeps, program: Command, words: readonly string[]): Promise<number> {
  const { manPage } = await import('./help/man.js');
  let cmd = program;
  for (const w of words.filter((a) => !a.startsWith('-'))) {
    const sub = cmd.commands.find((c) => c.name() === w);
    if (!sub) throw new AppError('VALIDATION_FAILED', `There is no command "${words.join(' ')}"; see \`garminsync help\`.`);
    cmd = sub;
  }
  deps.io.stdout.write(manPage(cmd, program.version() ?? '', new Date(deps.clock.now()).toISOString().slice(0, 10)));
  return EXIT.OK;
}
