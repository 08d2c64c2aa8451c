import type { LazyComponent } from '@quartermaster/sdk/admin';

/** `GET /api/core/identifiers/resolve` response. */
export interface ResolveMatch {
  identifier: { id: string; type: string; value: string };
  target: { type: string; id: string; label: string; href: string };
}
export interface ResolveResult {
  value: string;
  matches: ResolveMatch[];
}
export type Resolver = (value: string) => Promise<ResolveResult>;

/** Paged list envelope used by every list endpoint. */
export interface Paged<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A widget ready to render in a zone (already filtered for the enabled plugins and the user's permissions). */
export interface ZoneWidget {
  key: string;
  pluginId: string;
  title?: string;
  order: number;
  component: LazyComponent;
}

/** What the shell provides to `<PluginZone>`: the widgets contributed to a zone id. */
export type ZoneWidgetSource = (zoneId: string) => readonly ZoneWidget[];

/** Core records as the shared pickers read them. */
export interface CoreCategory {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
}
export interface CoreItem {
  id: string;
  name: string;
  unitOfMeasure: string;
  identifiers: { id: string; type: string; value: string }[];
}
export interface CoreLocationNode {
  id: string;
  name: string;
  code: string | null;
  type: string;
  parentId: string | null;
  path: string;
  archived: boolean;
  children: CoreLocationNode[];
}
export interface CoreUser {
  id: string;
  email: string;
  name: string;
  active: boolean;
}
