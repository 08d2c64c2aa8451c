import { enableAutoUnmount } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { api } from '../src/api/client';
import { ADMIN_SESSION } from './fixtures';
import { requests, server, state } from './msw';

/**
 * happy-dom's `Element#toString()` serialises the element's whole subtree (its outerHTML), where a
 * browser answers `[object HTMLDivElement]`. Popper (behind Element Plus' selects, date pickers and
 * tooltips) calls it on every element it measures, up to the document, so a page with a dozen
 * selects spends seconds serialising itself on each layout pass. Answer as a browser does.
 */
Element.prototype.toString = function (this: Element) {
  return `[object ${this.constructor.name}]`;
};

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
