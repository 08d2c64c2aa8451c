/**
 * `@quartermaster/core` — the plugin host and the small, stable core domain.
 *
 * @packageDocumentation
 */
export { createPlatform, migratePlatform, allPermissions, type Platform, type PlatformConfig, type Profile } from './kernel/platform.js';
export { runMigrations, migrationTable, sqlMigration, type MigrationReport, type MigrationSet } from './kernel/migrate.js';
export { SYSTEM_ACTOR } from './kernel/transaction.js';
export { execute, toKnexSql } from './kernel/sql.js';
export { readerOf, sqlParams, withSavepoint, pgErrorCode, isoInstant, type Db } from './kernel/db-helpers.js';
export { sendQueryAsCsv, type CsvQuery } from './kernel/csv-stream.js';
export type { OutboxOptions } from './kernel/events.js';
export { eventCatalogue, renderEventCatalogue, type EventCatalogue, type CatalogueEvent, type CatalogueField } from './modules/events/catalogue.js';
export { ensureAdministrator, upsertAdministrator, userCount } from './bootstrap.js';
export { CORE_VERSION } from './version.js';
export * from './extension-points.js';
export * from './events.js';
export { routePermissionProblem } from './kernel/route-permissions.js';
export * from './entities.js';
export { corePermissions } from './core-plugin.js';
