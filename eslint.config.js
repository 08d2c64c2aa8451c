import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const internals = [
  { group: ['@quartermaster/*/server', '@quartermaster/*/server/*', '@quartermaster/*/domain', '@quartermaster/*/domain/*', '@quartermaster/*/src/*'], message: "Use another plugin's shared entry, its services or events, never its internals." },
  { group: ['../../../*/src/*', '../../../../plugins/*'], message: 'Plugins do not reach into other plugins by path.' },
];
const serverCode = { group: ['@mikro-orm/*', 'fastify', 'pg', '../server/*', '../../server/*'], message: 'Console code must not load server code.' };
const consoleCode = { group: ['vue', 'pinia', 'vue-router', 'element-plus', '../admin/*', '../../admin/*'], message: 'Server code must not load console code.' };
const io = { group: ['@mikro-orm/*', 'fastify', 'pg', 'node:fs', 'node:net', 'node:http', 'node:child_process'], message: 'Domain code is pure: no I/O.' };
const restrict = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
// Later blocks replace the rule for their files, so each lists every pattern that applies there.
const boundaries = () => [
  restrict(['plugins/*/src/**/*.ts'], internals),
  restrict(['plugins/*/src/admin/**/*.ts'], [...internals, serverCode]),
  restrict(['plugins/*/src/server/**/*.ts'], [...internals, consoleCode]),
  restrict(['plugins/*/src/domain/**/*.ts'], [...internals, consoleCode, io]),
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/*.vue', '**/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  // Plugin boundaries (docs/plugins/writing-a-plugin.md): a plugin talks to others only through the SDK,
  // the core's public exports and their `shared` entry; the console never loads server code and vice versa.
  ...boundaries(),
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
