import type { Command, Option } from 'commander';
import { commandPath, helpParts } from './help.js';

/** Escapes text for roff: backslashes, and a leading dot or quote that would start a request. */
function esc(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/** `garminsync-sync-start`: the page's name, as man(1) and `man garminsync-sync-start` know it. */
export function manName(cmd: Command): string {
  return ['garminsync', ...commandPath(cmd)].join('-');
}

function optionItems(options: readonly Option[], describe: (o: Option) => string): string[] {
  return options.flatMap((o) => ['.TP', `.B ${esc(o.flags)}`, esc(describe(o))]);
}

/**
 * A man page (roff, man(7) macros) for one command, made from the same commander definitions
 * and help text as its --help: name, synopsis, description, arguments, options, inherited
 * flags, subcommands, and the examples and notes of the help's end.
 */
export function manPage(cmd: Command, version: string, date: string): string {
  const help = cmd.createHelp();
  const name = manName(cmd);
  const words = ['garminsync', ...commandPath(cmd)].join(' ');
  const after = helpParts(cmd).after.replace(/^\n+/, '').trimEnd();
  const lines = [
    `.TH ${esc(name.toUpperCase())} 1 "${date}" "garminsync ${esc(version)}" "garminsync manual"`,
    '.SH NAME',
    `${esc(name)} \\- ${esc(cmd.description().replace(/\.$/, ''))}`,
    '.SH SYNOPSIS',
    `.B ${esc(words)}`,
    esc(cmd.usage()),
    '.SH DESCRIPTION',
    esc(cmd.description()),
  ];
  const args = help.visibleArguments(cmd);
  if (args.length > 0) {
    lines.push('.SH ARGUMENTS');
    for (const a of args) lines.push('.TP', `.B ${esc(help.argumentTerm(a))}`, esc(help.argumentDescription(a)));
  }
  const own = help.visibleOptions(cmd);
  if (own.length > 0) lines.push('.SH OPTIONS', ...optionItems(own, (o) => help.optionDescription(o)));
  const inherited = help.visibleGlobalOptions(cmd);
  if (inherited.length > 0) lines.push('.SH INHERITED FLAGS', ...optionItems(inherited, (o) => help.optionDescription(o)));
  const subs = help.visibleCommands(cmd).filter((c) => c.name() !== 'help');
  if (subs.length > 0) {
    lines.push('.SH COMMANDS');
    for (const c of subs)
      lines.push('.TP', `.B ${esc(help.subcommandTerm(c))}`, `${esc(c.description())} See \\fB${esc(manName(c))}\\fR(1).`);
  }
  if (after) lines.push('.SH EXAMPLES AND NOTES', '.nf', esc(after.replace(/^Examples:\n/, '')), '.fi');
  const related = cmd.parent ? [cmd.parent.parent ? manName(cmd.parent) : 'garminsync'] : [];
  lines.push('.SH SEE ALSO', [...related.map((r) => `\\fB${esc(r)}\\fR(1)`), "the project's docs/cli.md"].join(', '));
  return `${lines.join('\n')}\n`;
}

/** Every command of the program, depth first, the program itself first. */
export function allCommands(program: Command): Command[] {
  const found: Command[] = [];
  const walk = (c: Command) => {
    found.push(c);
    for (const sub of c.commands) if (sub.name() !== 'help') walk(sub);
  };
  walk(program);
  return found;
}
