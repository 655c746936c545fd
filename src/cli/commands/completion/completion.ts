import { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { usage } from '../errors.js';
import { COMMAND_TABLE, LAUNCHED_COMMANDS, LEAF_COMMANDS } from '../table.js';
import {
  completeArgument,
  completionValues,
  DYNAMIC_VALUES,
  examples,
  type CompletionValues,
  type DefineContext,
  type DynamicValues,
} from '../types.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('[shell]', SHELLS.join(', '))
    .option('--values <kind>', 'print the values the service knows, one per line (used by the scripts at TAB)')
    .addHelpText(
      'after',
      examples(
        'garminsync completion bash > ~/.local/share/bash-completion/completions/garminsync',
        'garminsync completion zsh > "${fpath[1]}/_garminsync"',
        'garminsync completion fish > ~/.config/fish/completions/garminsync.fish',
      ) +
        '\nThe scripts complete commands, flags, flag values (types, statuses, metrics, formats) and,\nasking the service at TAB, job ids and synced sports.\n',
    );
  completeArgument(cmd, SHELLS);
  ctx.bind<{ values?: string }>(cmd, (c, flags, args) => (flags.values ? runValues(c, flags.values) : runCompletion(c, args[0])));
}

interface Flag {
  long: string;
  short?: string;
  /** Takes a value (`--out PATH`), so the word after it is not an argument. */
  valued: boolean;
  values?: CompletionValues;
}
interface Verb {
  name: string;
  summary: string;
  flags: Flag[];
  args?: CompletionValues;
}
interface Tree {
  /** A noun with verbs; or a leaf command (`export DIR`), whose flags are matched after any word. */
  nouns: { name: string; summary: string; verbs: Verb[]; leaf?: true }[];
  globals: string[];
}

const GLOBAL_FLAGS = ['--server', '--json', '--no-color', '--quiet', '--utc', '--help'];

function verbOf(name: string, summary: string, cmd: Command): Verb {
  const flags = cmd.options
    .filter((o) => o.long && !o.hidden)
    .map((o) => ({
      long: o.long!,
      valued: o.required || o.optional,
      ...(o.short ? { short: o.short } : {}),
      ...(completionValues(o) ? { values: completionValues(o)! } : {}),
    }));
  const args = completionValues(cmd);
  return { name, summary, flags: flags.filter((f) => f.long !== '--values'), ...(args ? { args } : {}) };
}

/** Loads every command (only here: completion is not start-up critical) to list its flags and values. */
async function commandTree(): Promise<Tree> {
  const nouns: Tree['nouns'] = [];
  const bind: DefineContext = { bind: () => {} };
  for (const noun of COMMAND_TABLE) {
    const verbs = [];
    for (const v of noun.verbs) {
      const probe = new Command(v.name);
      (await v.load()).define(probe, bind);
      verbs.push(verbOf(v.name, v.summary, probe));
    }
    nouns.push({ name: noun.name, summary: noun.summary, verbs });
  }
  for (const [name, leaf] of Object.entries(LEAF_COMMANDS)) {
    if (name === 'completion') continue;
    const probe = new Command(name);
    (await leaf.load()).define(probe, bind);
    nouns.push({ name, summary: leaf.summary, verbs: [verbOf('*', leaf.summary, probe)], leaf: true });
  }
  for (const [name, summary] of Object.entries(LAUNCHED_COMMANDS)) nouns.push({ name, summary, verbs: [] });
  nouns.push({
    name: 'completion',
    summary: 'Print a shell completion script',
    verbs: SHELLS.map((s) => ({ name: s, summary: s, flags: [] })),
  });
  return { nouns, globals: GLOBAL_FLAGS };
}

export async function runCompletion(ctx: CommandContext, shell: string | undefined): Promise<number> {
  if (!shell || !(SHELLS as readonly string[]).includes(shell)) {
    throw usage(`The shell must be one of ${SHELLS.join(', ')}${shell ? `, not "${shell}"` : ''}.`);
  }
  ctx.io.stdout.write(script(shell as Shell, await commandTree()));
  return EXIT.OK;
}

/** `--values job-ids|sports`: what the service knows, one per line; nothing at all when it cannot be asked. */
export async function runValues(ctx: CommandContext, kind: string): Promise<number> {
  if (!(DYNAMIC_VALUES as readonly string[]).includes(kind)) throw usage(`--values must be one of ${DYNAMIC_VALUES.join(', ')}.`);
  try {
    const values =
      (kind as DynamicValues) === 'job-ids'
        ? (await ctx.api.listJobs({ limit: 50 })).items.map((j) => j.job_id)
        : (await ctx.api.activitySports()).items.map((s) => s.sport);
    for (const v of values) ctx.io.stdout.write(`${v}\n`);
  } catch {
    // At TAB, an error message would be written into the user's command line: say nothing.
  }
  return EXIT.OK;
}

const q = (s: string) => s.replace(/'/g, `'\\''`);

/** A shell expression for the values: fixed words, or the service's list asked at TAB. */
function wordsExpr(values: CompletionValues): string {
  return typeof values === 'string' ? `$(garminsync completion --values ${values} 2>/dev/null)` : values.join(' ');
}

/** The bash case pattern of a noun and verb: `'sync start'`, or for a leaf `'export '*` (any word after it). */
function caseWords(n: Tree['nouns'][number], v: Verb, flag = ''): string {
  return n.leaf ? `'${n.name} '*${flag ? `' ${flag}'` : ''}` : `'${n.name} ${v.name}${flag ? ` ${flag}` : ''}'`;
}

function bash(tree: Tree): string {
  const verbCases = tree.nouns
    .filter((n) => n.verbs.length > 0 && !n.leaf)
    .map((n) => `    ${n.name}) words="${n.verbs.map((v) => v.name).join(' ')}" ;;`)
    .join('\n');
  const valueCases = tree.nouns
    .flatMap((n) =>
      n.verbs.flatMap((v) =>
        v.flags
          .filter((f) => f.values)
          .map((f) => {
            const labels = [f.long, ...(f.short ? [f.short] : [])].map((flag) => caseWords(n, v, flag)).join('|');
            return `    ${labels}) COMPREPLY=( $(compgen -W "${wordsExpr(f.values!)}" -- "$cur") ); return ;;`;
          }),
      ),
    )
    .join('\n');
  const flagCases = tree.nouns
    .flatMap((n) =>
      n.verbs.map((v) => {
        const flags = [...v.flags.map((f) => f.long), ...tree.globals].join(' ');
        const valued = [...v.flags.filter((f) => f.valued).flatMap((f) => [f.long, ...(f.short ? [f.short] : [])]), '--server'].join(' ');
        return `    ${caseWords(n, v)}) flags="${flags}"${v.args ? `; valued=" ${valued} "; args="${wordsExpr(v.args)}"` : ''} ;;`;
      }),
    )
    .join('\n');
  return `# bash completion for garminsync (generated by \`garminsync completion bash\`)
_garminsync() {
  local cur prev words flags args valued
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  flags="${tree.globals.join(' ')}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${tree.nouns.map((n) => n.name).join(' ')} ${tree.globals.join(' ')}" -- "$cur") )
    return
  fi
  if [ "$COMP_CWORD" -eq 2 ]; then
    case "\${COMP_WORDS[1]}" in
${verbCases}
    *) words="" ;;
    esac
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]} \${COMP_WORDS[2]} $prev" in
${valueCases}
  esac
  case "\${COMP_WORDS[1]} \${COMP_WORDS[2]}" in
${flagCases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$flags" -- "$cur") ); return; fi
  if [[ -n "$args" && "$valued" != *" $prev "* ]]; then COMPREPLY=( $(compgen -W "$args" -- "$cur") ); fi
}
complete -o default -F _garminsync garminsync
`;
}

function zsh(tree: Tree): string {
  return `#compdef garminsync
# zsh completion for garminsync (generated by \`garminsync completion zsh\`), via bash completion
autoload -U +X bashcompinit && bashcompinit
${bash(tree)}`;
}

function fishWords(values: CompletionValues): string {
  return typeof values === 'string' ? `'(garminsync completion --values ${values} 2>/dev/null)'` : `'${q(values.join(' '))}'`;
}

function fish(tree: Tree): string {
  const lines = ['# fish completion for garminsync (generated by `garminsync completion fish`)', 'complete -c garminsync -f'];
  for (const g of tree.globals) lines.push(`complete -c garminsync -l ${g.replace(/^--/, '')}`);
  for (const n of tree.nouns) {
    lines.push(`complete -c garminsync -n '__fish_use_subcommand' -a ${n.name} -d '${q(n.summary)}'`);
    for (const v of n.verbs) {
      if (n.leaf) {
        for (const f of v.flags) {
          const value = f.values ? ` -x -a ${fishWords(f.values)}` : '';
          lines.push(`complete -c garminsync -n '__fish_seen_subcommand_from ${n.name}' -l ${f.long.slice(2)}${value}`);
        }
        continue;
      }
      lines.push(
        `complete -c garminsync -n '__fish_seen_subcommand_from ${n.name}; and not __fish_seen_subcommand_from ${n.verbs.map((x) => x.name).join(' ')}' -a ${v.name} -d '${q(v.summary)}'`,
      );
      const here = `-n '__fish_seen_subcommand_from ${n.name}; and __fish_seen_subcommand_from ${v.name}'`;
      for (const f of v.flags) {
        const value = f.values ? ` -x -a ${fishWords(f.values)}` : '';
        lines.push(`complete -c garminsync ${here} -l ${f.long.slice(2)}${f.short ? ` -s ${f.short.slice(1)}` : ''}${value}`);
      }
      if (v.args) lines.push(`complete -c garminsync ${here} -a ${fishWords(v.args)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function script(shell: Shell, tree: Tree): string {
  return shell === 'bash' ? bash(tree) : shell === 'zsh' ? zsh(tree) : fish(tree);
}
