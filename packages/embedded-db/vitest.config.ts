import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'embedded-db', root: fileURLToPath(new URL('.', import.meta.url)), include: ['test/**/*.test.ts'] },
});
