import { migratePlatform } from '@quartermaster/core';
import { readConfig } from './config.js';
import { openDatabase } from './database.js';
import { loadPluginSet } from './profile.js';

/** `db:migrate`: apply pending migrations for the profile's plugins (core first), then exit. Non-interactive. */
async function main() {
  const config = readConfig();
  const { name, plugins, profile } = await loadPluginSet(config.profile);
  const db = await openDatabase(config, (m) => process.stdout.write(m + '\n'));
  try {
    const reports = await migratePlatform({
      databaseUrl: db.url,
      plugins,
      profile,
    });
    process.stdout.write(`Profile ${name}:\n`);
    for (const r of reports) {
      process.stdout.write(`  ${r.pluginId}: ${r.applied.length ? `applied ${r.applied.join(', ')}` : 'up to date'}\n`);
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await db.stop();
  }
}

void main();
