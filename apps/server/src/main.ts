import { createPlatform } from '@quartermaster/core';
import { mqttOptions, readConfig } from './config.js';
import { openDatabase } from './database.js';
import { loadPluginSet } from './profile.js';
import { bootstrapAdmin } from './admin-bootstrap.js';
import { seedDemoData } from './demo-data.js';

const say = (msg: string) => process.stdout.write(msg + '\n');

async function main() {
  const config = readConfig();
  const { name: profileName, plugins, profile } = await loadPluginSet(config.profile);
  const db = await openDatabase(config, say);
  let platform: Awaited<ReturnType<typeof createPlatform>> | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: shutting down`);
    try {
      await platform?.close();
    } finally {
      await db.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const core = (profile.plugins.core ?? {}) as { devices?: { mqtt?: unknown } };
    const withDevices = { ...profile, plugins: { ...profile.plugins, core: { ...core, devices: { ...core.devices, mqtt: core.devices?.mqtt ?? mqttOptions(config) } } } };
    platform = await createPlatform({
      databaseUrl: db.url,
      plugins,
      profile: withDevices,
      adminDist: config.adminDist,
      logger: { level: config.logLevel },
      trustProxy: config.trustProxy,
      imageSources: config.imageSources,
    });
    const admin = await bootstrapAdmin(platform, config);
    const seeded = config.demoData ? await seedDemoData(platform) : false;
    const address = await platform.app.listen({ port: config.port, host: config.host });
    const url = `${address.replace('0.0.0.0', '127.0.0.1')}/`;
    say('');
    say(`Quartermaster is running (profile: ${profileName}; plugins: ${platform.plugins.map((p) => p.definition.id).join(', ')})`);
    say(`  Console:  ${url}`);
    say(`  API docs: ${url}api/docs`);
    say(`  Database: ${db.embedded ? `embedded PostgreSQL in ${config.dataDir}` : 'DATABASE_URL'}${seeded ? ' (demo data loaded)' : ''}`);
    say(`  Sign in:  ${admin.email}${admin.password ? ` / ${admin.password}` : ' (password set on first start)'}${admin.file ? `  [saved in ${admin.file}]` : ''}`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    await platform?.close().catch(() => undefined);
    await db.stop();
    process.exit(1);
  }
}

void main();
