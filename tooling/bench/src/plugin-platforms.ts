/**
 * Scenarios that need plugins: the harness boots a core-only platform, so for the platform target a
 * second platform with the plugins is booted on the same database (it migrates their tables; the
 * harness's API token is valid on it, same core tables), and for the baseline its own database gets
 * the same migrations from a throwaway boot. Closed with the scenario's baseline server
 * (`closeWithBaseline` in `baselineRoutes`).
 */
import type { FastifyInstance } from 'fastify';
import type { createPlatform } from '@quartermaster/core';
import type { TargetInfo } from './scenario.js';

type Plugins = Parameters<typeof createPlatform>[0]['plugins'];

export interface PluginSetup {
  /** A name for this set of plugins (one platform per set and database). */
  key: string;
  /** Imported lazily, so the load threads (which import the scenarios too) never load the server. */
  plugins: () => Promise<Plugins>;
  /** The profile's options per plugin. */
  options: Record<string, Record<string, unknown>>;
}

interface Booted {
  baseUrl: string;
  close(): Promise<void>;
}

const platforms = new Map<string, Promise<Booted>>();
const migrated = new Set<string>();

async function boot(setup: PluginSetup, databaseUrl: string, listen: boolean): Promise<Booted> {
  const core = await import('@quartermaster/core');
  const platform = await core.createPlatform({ databaseUrl, plugins: await setup.plugins(), profile: { plugins: setup.options }, logger: false });
  let baseUrl = '';
  if (listen) {
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
    const address = platform.app.server.address();
    if (!address || typeof address === 'string') throw new Error(`${setup.key} platform: no TCP address`);
    baseUrl = `http://127.0.0.1:${address.port}`;
  }
  return { baseUrl, close: () => platform.close() };
}

/** Where a target's requests go for this set of plugins. */
export async function pluginPlatformUrl(setup: PluginSetup, target: TargetInfo): Promise<string> {
  const key = `${setup.key} ${target.databaseUrl}`;
  if (target.kind === 'baseline') {
    if (!migrated.has(key)) {
      await (await boot(setup, target.databaseUrl, false)).close();
      migrated.add(key);
    }
    return target.baseUrl;
  }
  let p = platforms.get(key);
  if (!p) platforms.set(key, (p = boot(setup, target.databaseUrl, true)));
  return (await p).baseUrl;
}

export async function closePluginPlatforms(): Promise<void> {
  const all = [...platforms.values()];
  platforms.clear();
  for (const p of all) await (await p.catch(() => null))?.close();
}

/** Call from `baselineRoutes`: the plugin platforms close with the scenario's baseline server. */
export function closeWithBaseline(app: FastifyInstance): void {
  app.addHook('onClose', async () => closePluginPlatforms());
}
