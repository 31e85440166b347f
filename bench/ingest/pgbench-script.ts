/**
 * Reads a pgbench script the way pgbench does in extended mode, so another client can run the
 * same statements without writing them twice (the bare PGlite loop, pglite-loop.ts): each SQL
 * command ends at a semicolon outside a string literal, or at `\gset` (which stores the row it
 * returns in variables named as its columns); each `:name` outside a literal becomes the next
 * positional parameter ($1, $2, ...), one per occurrence, as pgbench numbers them.
 */

export type ScriptCommand = Readonly<{
  /** The statement with $1, $2, ... in place of the variables. */
  text: string;
  /** The variable behind each parameter, in order ($1 first). */
  parameters: readonly string[];
  /** Whether the command's one row is stored in variables (`\gset`). */
  storesRow: boolean;
}>;

const identifierStart = /[A-Za-z_]/;
const identifierPart = /[A-Za-z0-9_]/;

function command(raw: string, storesRow: boolean): ScriptCommand | undefined {
  let text = '';
  const parameters: string[] = [];
  let quoted = false;
  for (let at = 0; at < raw.length; at += 1) {
    const char = raw.charAt(at);
    if (char === '\'') quoted = !quoted;
    const isVariable = !quoted && char === ':' && raw.charAt(at - 1) !== ':' &&
      identifierStart.test(raw.charAt(at + 1));
    if (!isVariable) {
      text += char;
      continue;
    }
    let end = at + 1;
    while (end < raw.length && identifierPart.test(raw.charAt(end))) end += 1;
    parameters.push(raw.slice(at + 1, end));
    text += `$${parameters.length}`;
    at = end - 1;
  }
  text = text.trim();
  return text === '' ? undefined : { text, parameters, storesRow };
}

/** Splits a pgbench script into its SQL commands (no meta-commands other than \gset). */
export function parsePgbenchScript(script: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  let start = 0;
  let quoted = false;
  const push = (end: number, storesRow: boolean) => {
    const next = command(script.slice(start, end), storesRow);
    if (next !== undefined) commands.push(next);
  };
  for (let at = 0; at < script.length; at += 1) {
    const char = script.charAt(at);
    if (char === '\'') quoted = !quoted;
    if (quoted) continue;
    if (char === ';') {
      push(at, false);
      start = at + 1;
    } else if (script.startsWith('\\gset', at)) {
      push(at, true);
      start = at + '\\gset'.length;
    } else if (char === '\\') {
      throw new Error(`unsupported pgbench meta-command at ${script.slice(at, at + 20)}`);
    }
  }
  push(script.length, false);
  return commands;
}

/** The parameter values of a command, from the variables set so far. */
export function parameterValues(command: ScriptCommand,
  variables: ReadonlyMap<string, string>): string[] {
  return command.parameters.map((name) => {
    const value = variables.get(name);
    if (value === undefined) throw new Error(`pgbench variable :${name} is not set`);
    return value;
  });
}
