/**
 * Plain values the console shares with the server. No imports: the console module may load only
 * what the console shares at run time, so it imports this file rather than `./index.ts`
 * (whose TypeBox schemas come from `@quartermaster/sdk`'s server entry).
 */
export const PLUGIN_ID = '__PLUGIN_ID__';

/** Roles grant these by id; every route names the one it needs. */
export const permissions = {
  read: '__PLUGIN_ID__.widgets.read',
  write: '__PLUGIN_ID__.widgets.write',
} as const;

/** Longest widget name, in characters (the database checks it too). */
export const WIDGET_NAME_MAX = 80;
