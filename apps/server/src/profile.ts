import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PluginDefinition } from '@quartermaster/sdk';
import type { Profile } from '@quartermaster/core';
import { firstPartyPlugins } from './plugins.js';

const here = dirname(fileURLToPath(import.meta.url));
export const PROFILES_DIR = join(here, '..', 'profiles');
export const BUILT_IN_PROFILES = ['all', 'retail', 'construction', 'healthcare'] as const;

export interface ProfileFile {
  description?: string;
  /** Enabled plugin ids with their options. */
  plugins: Record<string, Record<string, unknown> | undefined>;
  /** npm packages (or file paths) whose default export is a plugin definition: third-party plugins. */
  packages?: string[];
}

/** `QM_PROFILE` is a built-in name (`all`, `retail`, `construction`, `healthcare`) or a path to a JSON file. */
export function readProfile(nameOrPath: string): { name: string; file: ProfileFile } {
  const builtIn = (BUILT_IN_PROFILES as readonly string[]).includes(nameOrPath);
  const path = builtIn ? join(PROFILES_DIR, `${nameOrPath}.json`) : resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new Error(`Profile "${nameOrPath}" not found: use one of ${BUILT_IN_PROFILES.join(', ')} or a path to a JSON file`);
  }
  let file: ProfileFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as ProfileFile;
  } catch (err) {
    throw new Error(`Profile ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof file !== 'object' || file === null || typeof file.plugins !== 'object' || file.plugins === null || Array.isArray(file.plugins)) {
    throw new Error(`Profile ${path} must be an object with a "plugins" object`);
  }
  return { name: builtIn ? nameOrPath : path, file };
}

export async function loadProfilePlugins(file: ProfileFile, baseDir = process.cwd()): Promise<PluginDefinition<any>[]> {
  const out: PluginDefinition<any>[] = [];
  for (const spec of file.packages ?? []) {
    const target = spec.startsWith('.') || isAbsolute(spec) ? pathToFileURL(resolve(baseDir, spec)).href : spec;
    const mod = (await import(target)) as { default?: PluginDefinition<any> };
    if (!mod.default?.id) throw new Error(`Plugin package "${spec}" has no default export made with definePlugin()`);
    out.push(mod.default);
  }
  return out;
}

export function toPlatformProfile(file: ProfileFile): Profile {
  return { plugins: file.plugins };
}

/** What every entry point (server, db:migrate, admin:create) loads: the profile and the plugins it needs. */
export async function loadPluginSet(nameOrPath: string): Promise<{ name: string; plugins: PluginDefinition<any>[]; profile: Profile }> {
  const { name, file } = readProfile(nameOrPath);
  return { name, plugins: [...firstPartyPlugins, ...(await loadProfilePlugins(file))], profile: toPlatformProfile(file) };
}
