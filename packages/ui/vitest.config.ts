import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  test: {
    name: 'ui',
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://localhost:5173/' } },
    include: ['test/**/*.test.ts'],
    // Element Plus ships ESM that must go through Vite (it imports its own CSS-less modules).
    server: { deps: { inline: ['element-plus'] } },
  },
});
