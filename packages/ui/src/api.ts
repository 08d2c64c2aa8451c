import { inject, provide, type InjectionKey } from 'vue';

/**
 * The console's API client as plugin pages see it: same-origin JSON, the session cookie, the CSRF
 * header on mutating requests, and failures thrown as problem errors (with `status`, `detail` and
 * `fieldErrors`). The shell provides its client; plugins call `useApi()` instead of raw fetch.
 */
export interface ConsoleApi {
  get<T>(path: string, query?: Record<string, string | number | boolean | null | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T = void>(path: string): Promise<T>;
}

export const CONSOLE_API_KEY: InjectionKey<ConsoleApi> = Symbol('quartermaster.api');

export function provideApi(api: ConsoleApi): void {
  provide(CONSOLE_API_KEY, api);
}

export function useApi(): ConsoleApi {
  const api = inject(CONSOLE_API_KEY, null);
  if (!api) throw new Error('useApi() needs the Quartermaster console shell (or provideApi() in a test)');
  return api;
}
