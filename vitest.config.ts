import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { projects: ['apps/*', 'packages/*', 'plugins/*', 'plugins/*/vitest.admin.config.ts', 'tooling/*', 'docs'] } });
