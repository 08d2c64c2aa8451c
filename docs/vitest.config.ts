import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'docs',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    // A full VitePress build of the site takes a while on a small machine.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
