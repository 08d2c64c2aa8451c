import { fileURLToPath } from 'node:url';
// Imported by relative path (not the package name) so the config bundler compiles this TypeScript
// source: plain Node 20 cannot load a workspace package's .ts entry when the config is evaluated.
import { quartermasterAdmin } from '../../tooling/vite-plugin-admin/src/index.ts';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// `^/api/` (a RegExp key), not `/api`: a plain prefix would also send the console's own `/api-tokens` page to the server.
const proxy = { '^/api/': { target: 'http://127.0.0.1:3000', changeOrigin: false } };

export default defineConfig({
  root,
  base: '/',
  plugins: [vue(), quartermasterAdmin({ repoRoot: fileURLToPath(new URL('../..', import.meta.url)) })],
  server: { port: 5173, proxy },
  preview: { proxy },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // Vue + router + pinia in one long-cached vendor chunk; Element Plus components are
        // imported per page, so each page chunk carries only the components it uses.
        manualChunks(id: string) {
          if (/node_modules\/(\.pnpm\/)?(@vue|vue|vue-router|pinia)[@/]/.test(id)) return 'vue';
          return undefined;
        },
      },
    },
  },
});
