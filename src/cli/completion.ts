import type { Command, Option } from 'commander';

/**
 * `teams-rollout completion bash|zsh` (issue 11: shell completion). The script is written from the
 * commander tree in commands.ts, so a new command or flag completes without anyone editing it:
 * commands, each command's flags, the values of flags with a fixed set (`--format table|csv|json`), and
 * file names for flags that take a file. zsh runs the same function through its bashcompinit layer.
 */
export const COMPLETION_SHELLS = ['bash', 'zsh'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

interface CommandSpec {
  name: string;
  flags: string[];
  /** Flag → its fixed values, or 'file' / 'folder' for a flag whose value is a path. */
  values: Map<string, string[] | 'file' | 'folder'>;
  /** Flags whose value is free (a number, an id, a URL): nothing to offer. */
  free: string[];
}

const takesValue = (o: Option) => o.required || o.optional;

/**
 * Values to offer for a flag that takes a list commander cannot check as choices (`report --state` is
 * repeatable and comma-separated): commands.ts names them with `completeWith`.
 */
const hints = new WeakMap<Option, readonly string[]>();
export function completeWith(option: Option, values: readonly string[]): Option {
  hints.set(option, values);
  return option;
}
const FILE_ARG = /<(file|folder)>/;

function specOf(c: Command): CommandSpec {
  const values = new Map<string, string[] | 'file' | 'folder'>();
  const flags: string[] = [];
  const free: string[] = [];
  for (const o of c.options) {
    if (!o.long || o.hidden) continue;
    flags.push(o.long);
    const offered = o.argChoices?.length ? o.argChoices : hints.get(o);
    if (offered?.length) values.set(o.long, [...offered]);
    else if (takesValue(o) && FILE_ARG.test(o.flags)) values.set(o.long, FILE_ARG.exec(o.flags)![1] as 'file' | 'folder');
    else if (takesValue(o)) free.push(o.long);
  }
  // A command's own arguments with a fixed set (`completion bash|zsh`) complete beside its flags.
  const args = c.registeredArguments.flatMap((a) => a.argChoices ?? []);
  return { name: c.name(), flags: [...args, ...flags, '--help'], values, free };
}

/** Bash-safe word lists: commander names and choices are plain words, but say so instead of assuming. */
const words = (xs: readonly string[]) => {
  for (const x of xs) if (!/^[\w.:@/-]+$/.test(x)) throw new Error(`completion: "${x}" is not a plain word`);
  return xs.join(' ');
};

function bashFunction(program: Command): string {
  const commands = program.commands.map(specOf);
  const top = specOf(program);
  // Paths: compopt marks the words as file names (a folder gets its /) where the shell has it (bash 4; zsh's layer has not).
  const paths = (kind: 'f' | 'd') => `compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -${kind} -- "$cur"))`;
  const valueCases = commands.flatMap((c) =>
    [...c.values].map(([flag, v]) => `    ${c.name}:${flag}) ${v === 'file' ? paths('f') : v === 'folder' ? paths('d') : `COMPREPLY=($(compgen -W "${words(v)}" -- "$cur"))`}; return ;;`),
  );
  // A flag that takes a free value (a number, an id, a URL): complete nothing rather than flags.
  const freeValueCases = commands.flatMap((c) => c.free.map((f) => `${c.name}:${f}`));
  const flagCases = commands.map((c) => `    ${c.name}) COMPREPLY=($(compgen -W "${words(c.flags)}" -- "$cur")) ;;`);
  return [
    '_teams_rollout() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i',
    '  # The command is the first word after the program that is not a flag (global flags take no value).',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac',
    '  done',
    '  case "$cmd:$prev" in',
    ...valueCases,
    ...(freeValueCases.length ? [`    ${freeValueCases.join('|')}) COMPREPLY=(); return ;;`] : []),
    '  esac',
    '  case "$cmd" in',
    `    "") COMPREPLY=($(compgen -W "${words([...commands.map((c) => c.name), ...top.flags])}" -- "$cur")) ;;`,
    ...flagCases,
    '    *) COMPREPLY=() ;;',
    '  esac',
    '}',
  ].join('\n');
}

export function completionScript(shell: CompletionShell, program: Command): string {
  const name = program.name();
  const fn = bashFunction(program);
  if (shell === 'bash') {
    return [`# ${name} completion for bash. Load it with: source <(${name} completion bash)`, '# or keep it: teams-rollout completion bash > ~/.local/share/bash-completion/completions/teams-rollout', fn, `complete -F _teams_rollout ${name}`, ''].join('\n');
  }
  return [
    `# ${name} completion for zsh. Load it with: source <(${name} completion zsh)  (add that line to ~/.zshrc to keep it)`,
    '# The bash function below runs through zsh\'s bashcompinit layer.',
    'autoload -U +X compinit && { (( $+functions[compdef] )) || compinit; }',
    'autoload -U +X bashcompinit && bashcompinit',
    fn,
    `complete -F _teams_rollout ${name}`,
    '',
  ].join('\n');
}
