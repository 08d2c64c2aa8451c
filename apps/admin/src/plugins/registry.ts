/**
 * Merges console contributions: the core's nav entries plus, for every plugin the server reports
 * enabled, its routes, nav entries and widgets — keeping only what the user is permitted to see.
 * Pure: no Vue, no router, no fetch; the shell feeds it and applies the result.
 */
import {
  permitted,
  type AdminNavEntry,
  type AdminPluginDefinition,
  type AdminScanAnswer,
  type AdminScanContext,
  type AdminScanResolver,
  type LazyComponent,
} from '@quartermaster/sdk/admin';
import type { ZoneWidget } from '@quartermaster/ui';
import type { PlatformInfo } from '../api/types';

export type AdminPluginLoader = () => Promise<{ default: AdminPluginDefinition }>;

export interface ResolvedRoute {
  pluginId: string;
  /** Absolute: `/<plugin-id><route.path>`. */
  path: string;
  /** Qualified: `<plugin-id>.<route.name>` (left alone when already qualified). */
  name: string;
  title: string;
  permission: string;
  component: LazyComponent;
}

export interface ResolvedNavItem {
  key: string;
  label: string;
  /** A path, or a named route. */
  to: string | { name: string };
  permission: string;
  section: string | null;
  icon?: string;
  order: number;
  /** `null` for the core's own entries. */
  pluginId: string | null;
}

export interface NavSection {
  title: string | null;
  items: ResolvedNavItem[];
}

/** A plugin's scan resolver the user may use, in the order the shell asks them. */
export interface ResolvedScanResolver {
  key: string;
  pluginId: string;
  order: number;
  resolve: AdminScanResolver['resolve'];
}

export interface Contributions {
  routes: ResolvedRoute[];
  nav: ResolvedNavItem[];
  sections: NavSection[];
  /** Keyed by zone id, sorted by `order`. */
  widgets: Record<string, ZoneWidget[]>;
  /** Sorted by `order`, then plugin. */
  scanResolvers: ResolvedScanResolver[];
  /** Human-readable notes about contributions that were dropped (e.g. id mismatch). */
  warnings: string[];
}

export interface BuildInput {
  platform: PlatformInfo;
  /** Loaded definitions, keyed by plugin id (only enabled ones need be present). */
  definitions: Record<string, AdminPluginDefinition>;
  permissions: readonly string[];
  coreNav?: AdminNavEntry[];
}

/** Ids that are enabled on the server AND have a console module in this build, in platform order. */
export function enabledPluginIds(platform: PlatformInfo, available: Iterable<string>): string[] {
  const have = new Set(available);
  return platform.plugins.map((p) => p.id).filter((id) => have.has(id));
}

/**
 * Imports the console modules of enabled plugins only; a disabled plugin's loader is never
 * called, so its chunk is never fetched. A module that fails to load is reported, not fatal.
 */
export async function loadAdminPlugins(
  platform: PlatformInfo,
  loaders: Record<string, AdminPluginLoader>,
): Promise<{ definitions: Record<string, AdminPluginDefinition>; errors: { id: string; error: unknown }[] }> {
  const ids = enabledPluginIds(platform, Object.keys(loaders));
  const definitions: Record<string, AdminPluginDefinition> = {};
  const errors: { id: string; error: unknown }[] = [];
  await Promise.all(
    ids.map(async (id) => {
      try {
        const mod = await loaders[id]!();
        definitions[id] = mod.default;
      } catch (error) {
        errors.push({ id, error });
      }
    }),
  );
  return { definitions, errors };
}

export function qualifyRouteName(pluginId: string, name: string): string {
  return name.startsWith(pluginId + '.') ? name : `${pluginId}.${name}`;
}

function joinPath(pluginId: string, path: string): string {
  const rest = path === '' || path === '/' ? '' : path.startsWith('/') ? path : '/' + path;
  return `/${pluginId}${rest}`;
}

function bySectionThenOrder(a: ResolvedNavItem, b: ResolvedNavItem): number {
  return a.order - b.order || a.label.localeCompare(b.label);
}

export function buildContributions(input: BuildInput): Contributions {
  const perms = new Set(input.permissions);
  // An empty permission means "any signed-in user" (the dashboard).
  const allowed = (needed: string) => !needed || permitted(perms, needed);
  const warnings: string[] = [];
  const routes: ResolvedRoute[] = [];
  const nav: ResolvedNavItem[] = [];
  const widgets: Record<string, ZoneWidget[]> = {};
  const scanResolvers: ResolvedScanResolver[] = [];

  (input.coreNav ?? []).forEach((e, i) => {
    if (!allowed(e.permission)) return;
    nav.push({
      key: `core:${i}`,
      label: e.label,
      to: e.to,
      permission: e.permission,
      section: e.section ?? null,
      icon: e.icon,
      order: e.order ?? i,
      pluginId: null,
    });
  });

  for (const plugin of input.platform.plugins) {
    const def = input.definitions[plugin.id];
    if (!def) continue; // enabled on the server but no console module in this build
    if (def.id !== plugin.id) {
      warnings.push(`console module in folder "${plugin.id}" declares id "${def.id}"; using "${plugin.id}"`);
    }
    const section = plugin.displayName || plugin.id;
    const pluginRoutes = (def.routes ?? []).map<ResolvedRoute>((r) => ({
      pluginId: plugin.id,
      path: joinPath(plugin.id, r.path),
      name: qualifyRouteName(plugin.id, r.name),
      title: r.title,
      permission: r.permission,
      component: r.component,
    }));
    const byRawName = new Map((def.routes ?? []).map((r, i) => [r.name, pluginRoutes[i]!]));
    for (const r of pluginRoutes) if (allowed(r.permission)) routes.push(r);

    (def.nav ?? []).forEach((e, i) => {
      if (!allowed(e.permission)) return;
      let to: ResolvedNavItem['to'];
      if (e.to.startsWith('/')) to = e.to;
      else {
        const target = byRawName.get(e.to) ?? pluginRoutes.find((r) => r.name === e.to);
        if (!target) {
          warnings.push(`plugin "${plugin.id}" nav entry "${e.label}" points at unknown route "${e.to}"`);
          return;
        }
        if (!allowed(target.permission)) return;
        to = target.path;
      }
      nav.push({
        key: `${plugin.id}:${i}`,
        label: e.label,
        to,
        permission: e.permission,
        section: e.section ?? section,
        icon: e.icon,
        order: e.order ?? 100 + i,
        pluginId: plugin.id,
      });
    });

    (def.widgets ?? []).forEach((w, i) => {
      if (!allowed(w.permission)) return;
      (widgets[w.zone.id] ??= []).push({
        key: `${plugin.id}:${i}`,
        pluginId: plugin.id,
        title: w.title,
        order: w.order ?? 100,
        component: w.component,
      });
    });

    (def.scanResolvers ?? []).forEach((r, i) => {
      if (!allowed(r.permission)) return;
      scanResolvers.push({ key: `${plugin.id}:${i}`, pluginId: plugin.id, order: r.order ?? 100, resolve: r.resolve.bind(r) });
    });
  }

  for (const list of Object.values(widgets)) list.sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
  scanResolvers.sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));

  // Sections keep first-appearance order: the core's (un-sectioned first), then plugins'.
  const sections: NavSection[] = [];
  for (const item of nav) {
    let s = sections.find((x) => x.title === item.section);
    if (!s) sections.push((s = { title: item.section, items: [] }));
    s.items.push(item);
  }
  sections.sort((a, b) => (a.title === null ? -1 : b.title === null ? 1 : 0));
  for (const s of sections) s.items.sort(bySectionThenOrder);

  return { routes, nav, sections, widgets, scanResolvers, warnings };
}

/**
 * What the global scan box does with a value: the plugins' resolvers in order, the first answering
 * at least one match wins; else the core's registry (`fallback`). A resolver that fails is skipped
 * (reported through `onError`), so one plugin's outage never stops scanning.
 */
export async function resolveScan(
  value: string,
  resolvers: readonly Pick<ResolvedScanResolver, 'key' | 'resolve'>[],
  ctx: AdminScanContext,
  fallback: (value: string) => Promise<AdminScanAnswer>,
  onError: (key: string, error: unknown) => void = () => undefined,
): Promise<AdminScanAnswer> {
  for (const r of resolvers) {
    try {
      const answer = await r.resolve(value, ctx);
      if (answer && answer.matches.length > 0) return answer;
    } catch (error) {
      onError(r.key, error);
    }
  }
  return fallback(value);
}
