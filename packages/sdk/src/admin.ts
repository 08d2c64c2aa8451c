/**
 * Console-side plugin contract. Imported by `src/admin/index.ts` of a plugin; never by the server.
 * Components are lazy (`() => import('./pages/X.vue')`) so each plugin is one chunk that loads only
 * when the plugin is enabled.
 */

// Kept structural so this entry does not depend on Vue's types at run time.
export type LazyComponent = () => Promise<unknown>;

/** A typed zone where plugins may place widgets; `P` is the props the shell passes. */
export interface AdminZone<P = Record<string, unknown>> {
  readonly kind: 'admin-zone';
  readonly id: string;
  readonly __props?: P;
}

export function defineZone<P>(id: string): AdminZone<P> {
  return Object.freeze({ kind: 'admin-zone' as const, id });
}

/** Zones the shell renders. */
export const zones = {
  /** Side panel on an item's detail page. */
  itemDetailSide: defineZone<{ itemId: string }>('core.item.detail.side'),
  /** Side panel on a location's detail page. */
  locationDetailSide: defineZone<{ locationId: string }>('core.location.detail.side'),
  /** Cards on the home dashboard. */
  dashboard: defineZone<Record<string, never>>('core.dashboard'),
};

export interface AdminRoute {
  /** Relative to `/<plugin-id>`, e.g. `/stock` becomes `/inventory/stock`. */
  path: string;
  name: string;
  title: string;
  component: LazyComponent;
  /** Hidden unless the user has it. The server still checks every call. */
  permission: string;
}

export interface AdminNavEntry {
  label: string;
  /** Route name or absolute path. */
  to: string;
  permission: string;
  /** Groups entries in the sidebar, e.g. `Inventory`. */
  section?: string;
  icon?: string;
  order?: number;
}

export interface AdminWidget<P = any> {
  zone: AdminZone<P>;
  component: LazyComponent;
  permission: string;
  title?: string;
  order?: number;
}

export interface AdminPluginDefinition {
  /** Same id as the server plugin; the shell shows it only when the server reports it enabled. */
  id: string;
  routes?: AdminRoute[];
  nav?: AdminNavEntry[];
  widgets?: AdminWidget[];
}

export function defineAdminPlugin(def: AdminPluginDefinition): AdminPluginDefinition {
  return def;
}

/** Filter contributions by permission; `*` grants everything. */
export function permitted(permissions: ReadonlySet<string> | readonly string[], needed: string): boolean {
  const set = permissions instanceof Set ? permissions : new Set(permissions as readonly string[]);
  return set.has('*') || set.has(needed);
}
