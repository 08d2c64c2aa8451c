import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'create-plugin',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    // The generated plugin's own suite runs in a child vitest with its own embedded PostgreSQL.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
