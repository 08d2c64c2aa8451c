import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'erp-journal',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/domain/**/*.test.ts', 'test/server/**/*.test.ts'],
    globalSetup: [fileURLToPath(import.meta.resolve('@quartermaster/testing/global-setup'))],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
