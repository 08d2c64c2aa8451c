/**
 * `@quartermaster/create-plugin`: scaffold a plugin package (`createPlugin`) and check one
 * against the plugin contract (`validatePlugin`).
 */
export { createPlugin, checkNewPluginId, existingPluginIds, namesOf, dependencyRanges, isWorkspaceMember, render, RESERVED_IDS, PLUGIN_ID_PATTERN, ScaffoldError, TEMPLATES_DIR, type CreatePluginOptions, type CreatedPlugin, type PluginNames, type DependencyRanges } from './scaffold.js';
export { validatePlugin, formatProblems, serverEntryOf, CONSOLE_MANIFEST, type Rule, type ValidationProblem, type ValidationResult } from './validate.js';
export { sqlTouches, stripSql, type SqlTouch, type SqlAction } from './sql-ownership.js';
