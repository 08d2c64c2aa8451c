#!/usr/bin/env -S npx tsx
/**
 * qm-console-module build [--root dir] [--entry f] [--out dir] [--id pluginId]
 *
 * Builds a plugin's console pages into a module the Quartermaster console loads at run time.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { buildConsoleModule } from './index.js';

const USAGE = `Usage: qm-console-module build [--root dir] [--entry f] [--out dir] [--id pluginId]

  --root   the plugin package's folder (default: the current folder)
  --entry  the console entry, relative to root (default: src/admin/index.ts)
  --out    where the module goes, relative to root (default: dist/console; emptied first)
  --id     the plugin id (default: the package name without scope and "plugin-")`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        entry: { type: 'string' },
        out: { type: 'string' },
        id: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'build') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const { outDir, manifest } = await buildConsoleModule({
      root: path.resolve(values.root ?? process.cwd()),
      entry: values.entry,
      outDir: values.out,
      pluginId: values.id,
    });
    const versions = Object.entries(manifest.shared).map(([k, v]) => `${k} ${v}`).join(', ');
    process.stdout.write(`Built console module "${manifest.id}" in ${outDir}\n  entry ${manifest.entry}; css ${manifest.css.join(', ') || 'none'}\n  built against ${versions}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`qm-console-module: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
