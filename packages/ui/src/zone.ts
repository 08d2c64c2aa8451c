import { inject, provide, type InjectionKey } from 'vue';
import type { ZoneWidgetSource } from './types';

export const ZONE_WIDGETS_KEY: InjectionKey<ZoneWidgetSource> = Symbol('quartermaster.zoneWidgets');

/** Called once by the shell (at the app root) so every `<PluginZone>` below finds its widgets. */
export function provideZoneWidgets(source: ZoneWidgetSource): void {
  provide(ZONE_WIDGETS_KEY, source);
}

export function useZoneWidgets(): ZoneWidgetSource {
  return inject(ZONE_WIDGETS_KEY, () => []);
}
