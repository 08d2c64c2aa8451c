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

/** One answer of a scan resolver: the same shape as the core's `GET /api/core/identifiers/resolve` match. */
export interface AdminScanMatch {
  identifier: { id: string; type: string; value: string };
  target: { type: string; id: string; label: string; href: string };
}

export interface AdminScanAnswer {
  value: string;
  matches: AdminScanMatch[];
}

/** What the shell hands a scan resolver: its API client (session cookie, CSRF header, problem errors). */
export interface AdminScanContext {
  api: {
    get<T>(path: string, query?: Record<string, string | number | boolean | null | undefined>): Promise<T>;
    post<T>(path: string, body?: unknown): Promise<T>;
  };
}

/**
 * Says what a value scanned into the console's global scan box means, before the core's identifier
 * registry is asked. Resolvers run by `order` (lower first); the first that answers with at least
 * one match wins; `null` (or no match) passes the value on, finally to the core.
 */
export interface AdminScanResolver {
  /** Not asked unless the user has it. */
  permission: string;
  order?: number;
  resolve(value: string, ctx: AdminScanContext): Promise<AdminScanAnswer | null>;
}

export interface AdminPluginDefinition {
  /** Same id as the server plugin; the shell shows it only when the server reports it enabled. */
  id: string;
  routes?: AdminRoute[];
  nav?: AdminNavEntry[];
  widgets?: AdminWidget[];
  scanResolvers?: AdminScanResolver[];
}

export function defineAdminPlugin(def: AdminPluginDefinition): AdminPluginDefinition {
  return def;
}

/** Filter contributions by permission; `*` grants everything. */
export function permitted(permissions: ReadonlySet<string> | readonly string[], needed: string): boolean {
  const set = permissions instanceof Set ? permissions : new Set(permissions as readonly string[]);
  return set.has('*') || set.has(needed);
}
