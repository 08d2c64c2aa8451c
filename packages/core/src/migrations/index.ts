import type { Migration } from '@quartermaster/sdk';
import { m0001Core } from './0001_core.js';
import { m0002BuiltInRoles } from './0002_builtin_roles.js';
import { m0003SearchIndexes } from './0003_search_indexes.js';
import { m0004Devices } from './0004_devices.js';
import { m0005Webhooks } from './0005_webhooks.js';

export const coreMigrations: Migration[] = [m0001Core, m0002BuiltInRoles, m0003SearchIndexes, m0004Devices, m0005Webhooks];
