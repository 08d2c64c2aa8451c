/** Pure pieces of the shell other packages (and tests) may use. The console itself starts in main.ts. */
export * from './plugins/registry';
export type * from './api/types';
export { ApiClient, ApiProblem, api, normalizeField } from './api/client';
