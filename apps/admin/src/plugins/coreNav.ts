import type { AdminNavEntry } from '@quartermaster/sdk/admin';

/** The shell's own sidebar entries; filtered by permission like plugin entries. */
export const coreNav: AdminNavEntry[] = [
  { label: 'Dashboard', to: '/', permission: '', icon: 'Odometer', order: 0 },
  { label: 'Items', to: '/items', permission: 'core.items.read', icon: 'Box', order: 1 },
  { label: 'Categories', to: '/categories', permission: 'core.items.read', icon: 'FolderOpened', order: 2 },
  { label: 'Locations', to: '/locations', permission: 'core.locations.read', icon: 'Location', order: 3 },
  { label: 'Identifiers', to: '/identifiers', permission: 'core.identifiers.read', icon: 'Postcard', order: 4 },
  { label: 'Users', to: '/users', permission: 'core.users.read', section: 'Administration', icon: 'User', order: 10 },
  { label: 'Roles', to: '/roles', permission: 'core.users.read', section: 'Administration', icon: 'Lock', order: 11 },
  { label: 'API tokens', to: '/api-tokens', permission: 'core.tokens.manage', section: 'Administration', icon: 'Key', order: 12 },
  { label: 'Audit log', to: '/audit', permission: 'core.audit.read', section: 'Administration', icon: 'Document', order: 13 },
  { label: 'Event deliveries', to: '/event-deliveries', permission: 'core.events.read', section: 'Administration', icon: 'Connection', order: 14 },
  { label: 'Devices', to: '/devices', permission: 'core.devices.read', section: 'Administration', icon: 'Cpu', order: 15 },
  { label: 'Webhooks', to: '/webhooks', permission: 'core.webhooks.read', section: 'Administration', icon: 'Promotion', order: 16 },
  { label: 'Event catalogue', to: '/event-catalogue', permission: 'core.events.read', section: 'Administration', icon: 'Collection', order: 17 },
];
