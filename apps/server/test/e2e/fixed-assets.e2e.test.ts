/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { type ConsoleUnderTest, apiAs, byTestId, repo, startConsole, testIdText } from './harness.js';

// The real console (with the fixed-assets plugin's pages), built by Vite, served by the real server
// with the fixed-assets plugin enabled on a fresh database, driven by headless Chromium.
const ADMIN = { email: 'e2e-fixed-assets@example.test', password: 'e2e fixed assets password' };

let run: ConsoleUnderTest;
let page: Page;
let base: string;

beforeAll(async () => {
  run = await startConsole({ plugins: [fixedAssetsPlugin], admin: ADMIN, timeoutMs: 20_000 });
  ({ page, base } = run);
});

afterAll(async () => {
  await run?.close();
});

const byId = (id: string) => byTestId(page, id);
const textOf = (id: string) => testIdText(page, id);
const confirmBox = () => page.locator('.el-message-box__btns .el-button--primary').click();
/** A tree picker (its test id on a wrapper): open it and take the node with that label. */
const pickTree = async (testid: string, label: string) => {
  await byId(testid).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
};
/** A date picker (its test id on a wrapper): type the date and leave the field. */
const typeDate = async (testid: string, date: string) => {
  const input = byId(testid).locator('input');
  await input.fill(date);
  await input.press('Enter');
};

/** Fixtures and checks through the API, as the signed-in admin. */
const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(page, base, method, path, body);

// Dates relative to today, so the wizard's period list (the last 24 months) always offers them:
// bought on the 15th ten months ago, depreciation posted for the last complete month.
const now = new Date();
const iso = (d: Date) => d.toISOString().slice(0, 10);
const BOUGHT = `${iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 10, 1))).slice(0, 8)}15`;
const PERIOD_END = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)));
const PERIOD_START = `${PERIOD_END.slice(0, 8)}01`;

interface AssetOut {
  id: string;
  tag: string;
  status: string;
  disposal: { kind: string; proceeds: string | null; books: { book: string; netBookValue: string; gainOrLoss: string; journalEntryId: string | null }[] } | null;
}

test('register an asset with a book, check it out and in by scanning, audit it on a phone, post depreciation, dispose of it', { timeout: 300_000 }, async () => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base);
  await page.waitForURL(/\/login/);
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill(ADMIN.password);
  await byId('login-submit').click();
  await byId('nav-fixed-assets-assets').waitFor();
  for (const nav of ['depreciation', 'journal', 'audits', 'reports', 'import-export']) await byId(`nav-fixed-assets-${nav}`).waitFor();

  const hq = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E HQ', type: 'site' });

  // --- Register an asset in the console: at HQ, bought ten months ago for 1200.00.
  await byId('nav-fixed-assets-assets').click();
  await byId('assets-new').click();
  await byId('asset-dialog').waitFor();
  await byId('asset-name').fill('E2E survey laptop');
  await pickTree('asset-location', 'E2E HQ');
  await typeDate('asset-purchase-date', BOUGHT);
  await byId('asset-cost').fill('1200.00');
  await byId('asset-save').click();
  await page.waitForURL(/\/fixed-assets\/assets\/[0-9a-f-]{36}$/);
  const assetId = page.url().split('/').pop()!;
  await expect.poll(() => textOf('asset-status')).toBe('In service');
  const tag = (await api<AssetOut>('GET', `/api/fixed-assets/assets/${assetId}`)).tag;
  expect(await textOf('asset-title')).toContain(tag);

  // ...depreciated in the financial book: straight-line over 5 years from the purchase date.
  await page.locator('#tab-depreciation').click();
  await byId('asset-book-financial').locator('[data-testid="asset-book-edit"]').click();
  await byId('book-dialog').waitFor();
  await typeDate('book-placed-in-service', BOUGHT);
  await byId('book-life').fill('5');
  await byId('book-save').click();
  await expect.poll(() => byId('asset-book-financial').locator('[data-testid="asset-book-nbv"]').textContent()).toBe('1200.00');

  // --- Check it out to a project by scanning its tag, then back in.
  await byId('nav-fixed-assets-check-out-in').click();
  await byId('scan-mode-check-out').click();
  await byId('scan-holder-type-project').click();
  await byId('scan-holder-project').fill('E2E road survey');
  const scanBox = page.locator('[data-testid="scan-input"] [data-testid="scan-box"]');
  await scanBox.fill(tag);
  await scanBox.press('Enter');
  await expect.poll(() => textOf('scan-line-tag')).toBe(tag);
  await byId('scan-submit').click();
  await byId('scan-line-result').waitFor();
  await expect.poll(async () => (await api<AssetOut>('GET', `/api/fixed-assets/assets/${assetId}`)).status).toBe('checked-out');

  await byId('scan-start-over').click();
  await byId('scan-mode-check-in').click();
  await scanBox.fill(tag);
  await scanBox.press('Enter');
  await expect.poll(() => textOf('scan-line-tag')).toBe(tag);
  await byId('scan-submit').click();
  await byId('scan-line-result').waitFor();
  await expect.poll(async () => (await api<AssetOut>('GET', `/api/fixed-assets/assets/${assetId}`)).status).toBe('in-service');

  // --- Audit HQ on a phone: the scanner types the tag and Enter into the focused input.
  const campaign = await api<{ id: string }>('POST', '/api/fixed-assets/campaigns', { name: 'E2E HQ audit', locationId: hq.id });
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto(`${base}/fixed-assets/campaigns/${campaign.id}/scan`);
  await expect.poll(() => textOf('campaign-scan-title')).toBe('A-1 · E2E HQ audit');
  await expect.poll(() => byId('campaign-scan').getAttribute('data-phone')).toBe('true');
  await expect.poll(() => textOf('scan-count-expected')).toBe('1');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('campaign-scan-input');
  await page.keyboard.type(tag, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect.poll(() => byId('campaign-scan-last').getAttribute('data-result')).toBe('found');
  await expect.poll(() => textOf('scan-count-found')).toBe('1');
  // The same tag again is a duplicate, counted once; an unknown code says so. Focus stays in the input.
  await page.keyboard.type(tag, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect.poll(() => byId('campaign-scan-last').getAttribute('data-result')).toBe('duplicate');
  await page.keyboard.type('NO-SUCH-TAG-1', { delay: 5 });
  await page.keyboard.press('Enter');
  await expect.poll(() => byId('campaign-scan-last').getAttribute('data-result')).toBe('unknown');
  expect(await textOf('scan-count-found')).toBe('1');
  expect(await textOf('scan-count-unknown')).toBe('1');
  expect(await textOf('scan-count-duplicates')).toBe('1');
  // 360 px: nothing wider than the screen, no horizontal scroll, and touch targets at least 44 px high.
  const layout = await page.evaluate(() => {
    const screen = document.querySelector<HTMLElement>('[data-testid="campaign-scan"]')!;
    window.scrollTo(200, 0);
    const widest = Math.max(...[...screen.querySelectorAll<HTMLElement>('*')].map((e) => e.getBoundingClientRect().right));
    const targets = [...screen.querySelectorAll<HTMLElement>('button, a, input, select')].map((e) => ({ id: e.dataset.testid ?? e.tagName, h: e.getBoundingClientRect().height }));
    return { innerWidth: window.innerWidth, scrollX: window.scrollX, screenScroll: screen.scrollWidth - screen.clientWidth, widest, small: targets.filter((t) => t.h < 44) };
  });
  expect(layout.innerWidth).toBe(360);
  expect(layout.scrollX).toBe(0);
  expect(layout.screenScroll).toBe(0);
  expect(layout.widest).toBeLessThanOrEqual(360);
  expect(layout.small).toEqual([]);
  await page.screenshot({ path: join(repo, '.test-results', 'e2e-fixed-assets-audit-360.png') }).catch(() => undefined);
  await page.setViewportSize({ width: 1280, height: 900 });
  await byId('campaign-scan-results').click();
  await expect.poll(() => textOf('campaign-count-found')).toBe('1');

  // --- Post depreciation through the last complete month with the wizard: preview, post, follow to completed.
  await byId('nav-fixed-assets-depreciation').click();
  await expect.poll(() => textOf('dep-book-info')).toContain('Monthly periods');
  await byId('dep-period').locator('.el-select__wrapper').click();
  await byId(`dep-period-option-${PERIOD_END}`).click();
  await byId('dep-preview').click();
  await byId('dep-step-preview').waitFor();
  expect(await textOf('dep-preview-period')).toBe(`${PERIOD_START} – ${PERIOD_END}`);
  expect(await textOf('dep-preview-assets')).toBe('1');
  const previewTotal = await textOf('dep-preview-total');
  expect(await textOf('dep-preview-line-tag')).toBe(tag);
  // What the schedule says is due through that month (nothing posted yet).
  const schedule = await api<{ schedule: { periodEnd: string; accumulated: string }[] }>('GET', `/api/fixed-assets/assets/${assetId}/books/financial/schedule`);
  const dueThroughPeriod = schedule.schedule.filter((r) => r.periodEnd <= PERIOD_END).at(-1)!.accumulated;
  expect(previewTotal).toBe(dueThroughPeriod);
  await byId('dep-post').click();
  await expect.poll(() => textOf('dep-run-status'), { timeout: 30_000 }).toBe('completed');
  expect(await textOf('dep-run-count')).toBe('1 of 1 assets');
  expect(await textOf('dep-run-total')).toBe(previewTotal);
  expect(await byId('dep-run-idempotent').count()).toBe(0);
  // Posting the same period again answers the existing run.
  await byId('dep-new-run').click();
  await byId('dep-period').locator('.el-select__wrapper').click();
  await byId(`dep-period-option-${PERIOD_END}`).click();
  await byId('dep-preview').click();
  await expect.poll(() => page.locator('[data-testid="dep-warning"][data-kind="already-posted"]').count()).toBe(1);
  await byId('dep-post').click();
  await byId('dep-run-idempotent').waitFor();
  expect(await textOf('dep-run-total')).toBe(previewTotal);
  const runs = await api<{ periodEnd: string; status: string; totalAmount: string }[]>('GET', '/api/fixed-assets/depreciation/runs?book=financial');
  expect(runs.map((r) => [r.periodEnd, r.status, r.totalAmount])).toEqual([[PERIOD_END, 'completed', previewTotal]]);
  await byId('dep-run-journal').click();
  await expect.poll(() => textOf('journal-source')).toBe('depreciation-run');

  // --- Retire it and sell it for 900.00 through the disposal dialog: the preview shows the loss.
  await page.goto(`${base}/fixed-assets/assets/${assetId}`);
  await byId('asset-transition-retire').click();
  await confirmBox();
  await expect.poll(() => textOf('asset-status')).toBe('Retired');
  await byId('asset-dispose').click();
  await byId('dispose-dialog').waitFor();
  await byId('dispose-kind-sold').click();
  await byId('dispose-proceeds').fill('900.00');
  // Depreciated in the financial book only: one line.
  await expect.poll(() => page.locator('[data-testid="dispose-preview-book"]').allTextContents()).toEqual(['financial']);
  const preview = await api<{ books: { book: string; gainOrLoss: string; netBookValue: string }[] }>('POST', `/api/fixed-assets/assets/${assetId}/disposal-preview`, { kind: 'sold', proceeds: '900.00' });
  const financial = preview.books.find((b) => b.book === 'financial')!;
  expect(Number(financial.gainOrLoss)).toBeLessThan(0);
  const shown = await page.locator('[data-testid="dispose-preview-book"]').allTextContents();
  const gains = await page.locator('[data-testid="dispose-gain-loss"]').allTextContents();
  expect(gains[shown.indexOf('financial')]).toBe(`Loss ${financial.gainOrLoss.replace('-', '')}`);
  expect(await byId('dispose-gain-loss').nth(shown.indexOf('financial')).getAttribute('class')).toContain('qm-fa-loss');
  await byId('dispose-reason').fill('Sold to the survey contractor');
  await byId('dispose-confirm').click();
  await byId('dispose-done').waitFor();
  expect(await textOf('dispose-result-gain-loss')).toBe(`Loss ${financial.gainOrLoss.replace('-', '')}`);
  await byId('dispose-close').click();
  await expect.poll(() => textOf('asset-status')).toBe('Disposed');

  // The API agrees: disposed as sold, the loss booked in the financial book with its journal entry.
  const disposed = await api<AssetOut>('GET', `/api/fixed-assets/assets/${assetId}`);
  expect(disposed.status).toBe('disposed');
  expect(disposed.disposal?.kind).toBe('sold');
  expect(Number(disposed.disposal?.proceeds)).toBe(900);
  const book = disposed.disposal!.books.find((b) => b.book === 'financial')!;
  expect(book.gainOrLoss).toBe(financial.gainOrLoss);
  expect(book.journalEntryId).not.toBeNull();
  const journal = await api<{ id: string; source: string; book: string }[]>('GET', '/api/fixed-assets/journal?book=financial');
  expect(journal.map((e) => e.source).sort()).toEqual(['depreciation-run', 'disposal']);
  expect(journal.some((e) => e.id === book.journalEntryId)).toBe(true);

  // The disposals report shows the same loss, and offers it as CSV.
  await byId('nav-fixed-assets-reports').click();
  await page.locator('#tab-disposals').click();
  await expect.poll(() => textOf('report-disposals-tag')).toBe(tag);
  expect(await textOf('report-disposals-kind')).toBe('Sold');
  expect(await textOf('report-disposals-gain-loss')).toBe(`${financial.gainOrLoss} EUR`);
  const csv = await byId('report-disposals-csv').getAttribute('href');
  expect(csv).toContain('format=csv');
  const csvRes = await page.request.get(`${base}${csv}`);
  expect(csvRes.headers()['content-type']).toContain('text/csv');
  expect(await csvRes.text()).toContain(tag);

  await page.screenshot({ path: join(repo, '.test-results', 'e2e-fixed-assets.png') }).catch(() => undefined);
  expect(failed).toEqual([]);
});
