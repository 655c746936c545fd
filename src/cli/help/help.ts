import { Help, type Command } from 'commander';

/**
 * Help as gh shows it: every command's help lists the global flags under "Inherited flags"
 * (commander's showGlobalOptions, with gh's heading), so `sync start --help` tells you about
 * --server and --json too.
 */
export function configureHelp(program: Command): void {
  program.configureHelp({
    showGlobalOptions: true,
    formatHelp: (cmd, helper) => Help.prototype.formatHelp.call(helper, cmd, helper).replace(/^Global Options:$/m, 'Inherited flags:'),
  });
}

/** The whole help of a command as --help prints it, examples included, without colours. */
export function helpText(cmd: Command): string {
  return helpParts(cmd).whole;
}

/**
 * The help as --help prints it, and what follows commander's own part (the examples and notes of
 * `addHelpText('after')`), both at one fixed width so that the second is cut at the right place.
 */
export function helpParts(cmd: Command): { whole: string; after: string } {
  let text = '';
  let main: string;
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (s) => void (text += s), getOutHasColors: () => false, getOutHelpWidth: () => 100 });
  try {
    main = cmd.helpInformation({ error: false });
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  const at = text.indexOf(main);
  return { whole: text, after: at < 0 ? '' : text.slice(at + main.length) };
}

/** The command's words from the program down: `sync start`. */
export function commandPath(cmd: Command): string[] {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words;
}

/**
 * Rewrites the ways of asking for help into commander's: nothing at all or a noun without a
 * verb is that command's help (stdout, exit 0, like gh); `help sync start` is
 * `sync start --help`. `help --man …` is left to the man page writer.
 */
export function helpArgv(
  argv: readonly string[],
  nouns: ReadonlySet<string>,
  commands: ReadonlySet<string>,
): { argv: string[]; man: boolean } {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (argv.length === 0) return { argv: ['--help'], man: false };
  if (argv[0] === 'help') {
    const rest = argv.slice(1);
    const man = rest.includes('--man');
    const topic = rest.find((a) => !a.startsWith('-'));
    // `help nonsense` is an unknown command (with commander's did-you-mean), not the top help.
    if (topic !== undefined && !commands.has(topic)) return { argv: rest.filter((a) => a !== '--man'), man: false };
    return { argv: [...rest.filter((a) => a !== '--man'), ...(man ? [] : ['--help'])], man };
  }
  if (words.length === 1 && nouns.has(words[0]!) && argv.every((a) => a === words[0] || GLOBAL_BOOLEAN_FLAGS.has(a))) {
    return { argv: [words[0]!, '--help'], man: false };
  }
  return { argv: [...argv], man: false };
}

const GLOBAL_BOOLEAN_FLAGS = new Set(['--json', '--no-color', '-q', '--quiet', '--utc']);
