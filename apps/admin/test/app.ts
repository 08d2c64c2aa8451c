import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory } from 'vue-router';
import App from '../src/App.vue';
import type { AdminPluginLoader } from '../src/plugins/registry';
import { createAppRouter } from '../src/router';

/** Let fetches, lazy route components, and Element Plus' deferred rendering settle. */
export async function settle(rounds = 8) {
  for (let i = 0; i < rounds; i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 0));
  }
}

/** Mount the whole console (real router + guards + stores) at `path`, talking to msw. */
export async function renderApp(path: string, loaders: Record<string, AdminPluginLoader> = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createAppRouter({ history: createMemoryHistory(), loaders });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body });
  await settle();
  return { wrapper, router, pinia };
}

export function bodyText(): string {
  return document.body.textContent ?? '';
}

export function byTestId<T extends Element = HTMLElement>(id: string, root: ParentNode = document.body): T | null {
  return root.querySelector<T>(`[data-testid="${id}"]`);
}

/** Type into a native input the way a user does (value + input event). */
export async function typeInto(id: string, value: string) {
  const el = byTestId<HTMLInputElement>(id);
  if (!el) throw new Error(`no element with data-testid="${id}"`);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(2);
}

export async function click(id: string, root?: ParentNode) {
  const el = byTestId<HTMLElement>(id, root);
  if (!el) throw new Error(`no element with data-testid="${id}"`);
  el.click();
  await settle();
}
