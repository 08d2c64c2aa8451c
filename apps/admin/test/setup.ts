import { enableAutoUnmount } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { api } from '../src/api/client';
import { ADMIN_SESSION } from './fixtures';
import { requests, server, state } from './msw';

enableAutoUnmount(afterEach);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  state.session = ADMIN_SESSION;
  requests.length = 0;
  api.csrfToken = null;
  api.onUnauthorized = null;
});
afterEach(() => {
  server.resetHandlers();
  document.body.innerHTML = '';
});
afterAll(() => server.close());
