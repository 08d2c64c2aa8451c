import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { createPlatform, upsertAdministrator } from '@quartermaster/core';
import { readConfig } from './config.js';
import { openDatabase } from './database.js';
import { loadPluginSet } from './profile.js';

const USAGE = `Usage: pnpm admin:create --email <e-mail> [--password <password>] [--name <name>]
Creates an administrator, or makes an existing user an active administrator with a new password.
Without --password it asks for one (or reads QM_ADMIN_PASSWORD).`;

async function main() {
  const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return void process.stdout.write(USAGE + '\n');
  const email = values.email ?? process.env.QM_ADMIN_EMAIL;
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`A valid --email is required\n${USAGE}`);
  let password = values.password ?? process.env.QM_ADMIN_PASSWORD;
  if (!password && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question('Password (at least 10 characters): ');
    rl.close();
  }
  if (!password || password.length < 10) throw new Error('The password must have at least 10 characters');

  const config = readConfig();
  const { plugins, profile } = await loadPluginSet(config.profile);
  const db = await openDatabase(config, (m) => process.stdout.write(m + '\n'));
  try {
    const platform = await createPlatform({
      databaseUrl: db.url,
      plugins,
      profile,
      outbox: { autoStart: false },
    });
    try {
      const result = await upsertAdministrator(platform, { email, password, name: values.name });
      process.stdout.write(`${result === 'created' ? 'Created' : 'Updated'} administrator ${email}\n`);
    } finally {
      await platform.close();
    }
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
