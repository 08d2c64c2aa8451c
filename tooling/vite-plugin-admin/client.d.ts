/**
 * Types for the virtual module served by @quartermaster/vite-plugin-admin.
 * Reference it from an app's env.d.ts: `/// <reference types="@quartermaster/vite-plugin-admin/client" />`.
 */
declare module 'virtual:quartermaster-admin-plugins' {
  import type { AdminPluginDefinition } from '@quartermaster/sdk/admin';

  /** Loader for one first-party console plugin, keyed by plugin id (its folder name). */
  export type AdminPluginLoader = () => Promise<{ default: AdminPluginDefinition }>;

  export const adminPlugins: Record<string, AdminPluginLoader>;
  export const adminPluginIds: readonly string[];
}
