import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

/**
 * The GPS console's component tests: the real shell (router, guards, stores, API client)
 * with this plugin's console module, talking to msw. Shares the shell's test setup (msw server,
 * session fixture, auto-unmount) so plugin pages are tested exactly as the shell runs them.
 */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineProject({
  root: here('.'),
  plugins: [vue()],
  test: {
    name: 'gps-admin',
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://localhost:5173/' } },
    include: ['test/admin/**/*.test.ts'],
    // Whole-shell renders take seconds when every project runs at once on a small machine.
    testTimeout: 30_000,
    setupFiles: [here('../../apps/admin/test/setup.ts')],
    server: { deps: { inline: ['element-plus'] } },
  },
});
