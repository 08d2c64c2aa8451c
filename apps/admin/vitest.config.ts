import { fileURLToPath } from 'node:url';
// Imported by relative path (not the package name) so the config bundler compiles this TypeScript
// source: plain Node 20 cannot load a workspace package's .ts entry when the config is evaluated.
import { quartermasterAdmin } from '../../tooling/vite-plugin-admin/src/index.ts';
import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineProject({
  root,
  plugins: [vue(), quartermasterAdmin({ repoRoot: fileURLToPath(new URL('../..', import.meta.url)) })],
  test: {
    name: 'admin',
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://localhost:5173/' } },
    include: ['test/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('./test/setup.ts', import.meta.url))],
    server: { deps: { inline: ['element-plus'] } },
  },
});
