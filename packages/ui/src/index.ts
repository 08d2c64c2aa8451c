export { default as ScanBox } from './components/ScanBox.vue';
export { default as PluginZone } from './components/PluginZone.vue';
export { default as JsonDiff } from './components/JsonDiff.vue';
export { default as KeyValueEditor } from './components/KeyValueEditor.vue';
export { usePagedList, type PagedList, type PagedListOptions } from './composables/usePagedList';
export { jsonDiff, formatJsonValue, type DiffRow, type ChangeKind } from './diff';
export { resolveIdentifier } from './resolve';
export { ZONE_WIDGETS_KEY, provideZoneWidgets, useZoneWidgets } from './zone';
export type { Paged, ResolveMatch, ResolveResult, Resolver, ZoneWidget, ZoneWidgetSource } from './types';
