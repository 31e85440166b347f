/** One subcommand of `huduma`. */
export type CliCommand = Readonly<{
  /** Words that select it, e.g. ['catalogue', 'import']. */
  words: readonly string[];
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run: (args: readonly string[]) => Promise<number>;
}>;
