// Parses a command line the way src/cli/main.ts registers a command, so a test can call the
// command's run function with exactly the arguments yargs would give it.
import yargs, { type ArgumentsCamelCase, type Argv } from 'yargs';

export async function parseCommand<T>(name: string, options: (y: Argv) => Argv<T>, argv: string[]): Promise<ArgumentsCamelCase<T>> {
  let args: ArgumentsCamelCase<T> | undefined;
  await yargs([name, ...argv])
    .command(name, name, options, (a) => {
      args = a;
    })
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseAsync();
  return args!;
}
