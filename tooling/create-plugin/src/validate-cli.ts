#!/usr/bin/env -S npx tsx
/**
 * `pnpm validate-plugin <package dir> [--json]`: check a plugin package against the plugin
 * contract. Exit code 0 when it passes, 1 with one line per problem when not (2 for bad usage).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblems, validatePlugin } from './validate.js';

const USAGE = 'Usage: pnpm validate-plugin <package dir> [--json]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`validate-plugin: give exactly one package folder\n${USAGE}`);
    return 2;
  }
  // pnpm runs root scripts in the root; INIT_CWD is where the command was typed.
  const result = await validatePlugin(resolve(process.env.INIT_CWD ?? process.cwd(), parsed.positionals[0]));
  if (parsed.values.json) console.log(JSON.stringify(result, null, 2));
  else if (result.ok) console.log(`${result.pluginId}: follows the plugin contract`);
  else for (const line of formatProblems(result)) console.log(line);
  return result.ok ? 0 : 1;
}

// A plugin's routes or services may leave timers or sockets open: exit once the verdict is out.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
