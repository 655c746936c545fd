/**
 * Questions to a person at a terminal. The real one is @inquirer/prompts on stderr
 * (adapters/inquirer-prompter.ts); tests pass a scripted one.
 */
export interface Prompter {
  input(message: string, opts?: { default?: string; signal?: AbortSignal }): Promise<string>;
  /** Masked entry: every typed character is shown as `*`. */
  password(message: string, opts?: { signal?: AbortSignal }): Promise<string>;
}
