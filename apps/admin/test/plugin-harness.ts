/**
 * What the plugins' console test harnesses (`plugins/<id>/test/admin/harness.ts`) share: the shell's
 * test kit (app, msw, fixtures) re-exported, mounting the console with some plugins reported
 * enabled, and the DOM helpers their tests use alike. Each harness keeps its plugin's handlers,
 * fixtures and the helpers only it needs (or needs in another shape).
 *
 * It lives beside the shell's kit rather than in `@quartermaster/ui` because it mounts the shell,
 * which the ui package must not depend on.
 */
import { http, HttpResponse } from 'msw';
import type { AdminPluginLoader } from '../src/plugins/registry';
import { renderApp, settle } from './app';
import { server } from './msw';

export { bodyText, byTestId, click, settle, typeInto } from './app';
export { ADMIN_SESSION, problem } from './fixtures';
export { requests, server, state } from './msw';

/** A plugin as `GET /api/core/platform` lists it. */
export interface PlatformPlugin {
  id: string;
  version: string;
  displayName: string;
}

export const platformPlugin = (id: string, displayName = id): PlatformPlugin => ({ id, version: '0.1.0', displayName });

/**
 * Mount the console at `path` with the server reporting `plugins` enabled, and the console modules
 * of `loaders` loaded (a plugin reported but not loaded counts as enabled without pages of its own).
 */
export async function renderWithPlugins(path: string, plugins: PlatformPlugin[], loaders: Record<string, AdminPluginLoader>) {
  server.use(http.get('*/api/core/platform', () => HttpResponse.json({ coreVersion: '0.1.0', plugins })));
  return renderApp(path, loaders);
}

/** A list answer of `data` (all of it, whatever the page asked), echoing the request's `limit` and `offset`. */
export const paged = <T>(data: T[], url: string | URL, total = data.length) => {
  const q = new URL(url).searchParams;
  return HttpResponse.json({ data, total, limit: Number(q.get('limit') ?? 50), offset: Number(q.get('offset') ?? 0) });
};

export const q = (id: string, root: ParentNode = document) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
export const all = (id: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const clean = (s: string | null | undefined) => s?.replace(/\s+/g, ' ').trim() ?? null;
export const text = (id: string, root: ParentNode = document) => clean(q(id, root)?.textContent);
export const cells = (id: string, root: ParentNode = document) => all(id, root).map((e) => clean(e.textContent));

/** The text of the toasts (ElMessage) on screen. */
export const toasts = () => [...document.querySelectorAll('.el-message__content')].map((e) => clean(e.textContent));

/** Click the element with `testid` inside `root` (a card, a row, a dialog). */
export async function clickIn(root: ParentNode, testid: string) {
  const el = q(testid, root);
  if (!el) throw new Error(`no element with data-testid="${testid}" there`);
  el.click();
  await settle();
}

/** Press Enter in the native input with `testid` (a wedge scanner ends a scan so). */
export async function pressEnter(testid: string) {
  const el = q(testid);
  if (!el) throw new Error(`no element with data-testid="${testid}"`);
  el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
  await settle();
}

/** The error Element Plus shows under the form item that holds `testid`. */
export function fieldError(testid: string): string | undefined {
  const el = q(testid);
  if (!el) throw new Error(`no element with data-testid="${testid}"`);
  return el.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim();
}

/**
 * Open an ElSelect (or ElTreeSelect) by its test id and click the option whose text (or test id)
 * matches, among the options of open dropdowns (a page may hold several selects with like options).
 */
export async function choose(selectTestId: string, option: string | { testid: string }) {
  const select = q(selectTestId);
  if (!select) throw new Error(`no select with data-testid="${selectTestId}"`);
  select.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  const shown = (o: HTMLElement) => {
    const popper = o.closest<HTMLElement>('.el-popper');
    return !popper || popper.style.display !== 'none';
  };
  const options = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].filter(shown);
  const found =
    typeof option === 'string'
      ? options.find((o) => o.textContent?.trim() === option) ?? options.find((o) => o.textContent?.includes(option))
      : options.find((o) => o.dataset.testid === option.testid);
  if (!found) throw new Error(`no option ${JSON.stringify(option)} in ${selectTestId}: ${options.map((o) => o.textContent?.trim()).join(' | ')}`);
  found.click();
  await settle();
}

/** Click a radio button (Element Plus puts the test id on its label). */
export async function pickRadio(testid: string) {
  const label = q(testid);
  if (!label) throw new Error(`no radio with data-testid="${testid}"`);
  (label.querySelector<HTMLInputElement>('input') ?? label).click();
  await settle();
}

/** Confirm the open ElMessageBox. */
export async function confirmBox() {
  await settle();
  const btn = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button')].find((b) => b.classList.contains('el-button--primary'));
  if (!btn) throw new Error('no confirm box open');
  btn.click();
  await settle();
}
