/**
 * What the shell shares with console modules loaded at run time: its own module instances of Vue,
 * Pinia, vue-router, Element Plus, @quartermaster/ui and the SDK's admin entry, on
 * `globalThis.__QUARTERMASTER_SHARED__` keyed by import specifier. A module's build replaces
 * those imports with reads of this object (tooling/console-module), so it runs on the console's
 * one Vue app, router and store.
 *
 * Vue, Pinia, vue-router and the SDK are put there before the app mounts (the shell has them
 * loaded anyway). Element Plus and @quartermaster/ui are large and the shell imports their parts
 * page by page, so their whole namespaces are loaded only when a runtime module is about to load.
 */
import * as SdkAdmin from '@quartermaster/sdk/admin';
import { version as sdkVersion } from '@quartermaster/sdk/package.json';
import { version as uiVersion } from '@quartermaster/ui/package.json';
import { version as elementPlusVersion } from 'element-plus/package.json';
import * as Pinia from 'pinia';
import { version as piniaVersion } from 'pinia/package.json';
import * as Vue from 'vue';
import { version as vueVersion } from 'vue/package.json';
import * as VueRouter from 'vue-router';
import { version as vueRouterVersion } from 'vue-router/package.json';

export const SHARED_GLOBAL = '__QUARTERMASTER_SHARED__';

/** Package → version this console was built with; modules are checked against these. */
export const SHELL_SHARED_VERSIONS: Readonly<Record<string, string>> = Object.freeze({
  vue: vueVersion,
  pinia: piniaVersion,
  'vue-router': vueRouterVersion,
  'element-plus': elementPlusVersion,
  '@quartermaster/ui': uiVersion,
  '@quartermaster/sdk': sdkVersion,
});

type SharedTable = Record<string, unknown>;

function table(target: Record<string, unknown>): SharedTable {
  return ((target[SHARED_GLOBAL] as SharedTable | undefined) ??= {});
}

/** Vue, Pinia, vue-router and the SDK's admin entry: call before the app mounts. */
export function installSharedLibraries(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  Object.assign(table(target), { vue: Vue, pinia: Pinia, 'vue-router': VueRouter, '@quartermaster/sdk/admin': SdkAdmin });
}

let heavy: Promise<void> | null = null;

/** Element Plus and @quartermaster/ui as whole namespaces: awaited before the first module import. */
export function installLazySharedLibraries(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): Promise<void> {
  installSharedLibraries(target);
  heavy ??= import('./shared-heavy.js').then(({ elementPlus, ui }) => {
    Object.assign(table(target), { 'element-plus': elementPlus, '@quartermaster/ui': ui });
  }).catch((err: unknown) => {
    heavy = null; // a chunk that failed to load may load on the next sign-in
    throw err;
  });
  return heavy;
}
