import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * Domain tests are plain functions; server tests boot the real Quartermaster loader on a fresh
 * PostgreSQL database (the global setup starts an embedded one, or uses DATABASE_URL).
 */
export default defineProject({
  test: {
    name: '__PLUGIN_ID__',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    globalSetup: [fileURLToPath(import.meta.resolve('@quartermaster/testing/global-setup'))],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
