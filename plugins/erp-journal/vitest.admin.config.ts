import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

/**
 * The ERP journal console's component tests: the real shell (router, guards, stores, API client)
 * with this plugin's console module, talking to msw — the shell's own test setup.
 */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineProject({
  root: here('.'),
  plugins: [vue()],
  test: {
    name: 'erp-journal-admin',
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://localhost:5173/' } },
    include: ['test/admin/**/*.test.ts'],
    // Whole-shell renders take seconds when every project runs at once on a small machine.
    testTimeout: 30_000,
    setupFiles: [here('../../apps/admin/test/setup.ts')],
    server: { deps: { inline: ['element-plus'] } },
  },
});
