import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { ImportJob } from '../../src/admin/import-api';
import { ADMIN_SESSION, all, choose, click, coreLookups, pickRadio, problem, q, renderFixedAssets, requests, server, state, text } from './harness';

const SLOW = { timeout: 30_000 };
const JOB_ID = '0196a1b2-0000-7000-8000-0000000f0a01';
const CSV = 'tag,name,category,location,acquisition_cost\r\nAST-1,Laptop,IT / Laptops,HQ,1200\r\n,Dock,Nope,HQ,abc\r\n';

function job(patch: Partial<ImportJob> = {}): ImportJob {
  return {
    id: JOB_ID,
    number: '3',
    status: 'failed',
    mode: 'create',
    dryRun: true,
    fileName: 'assets.csv',
    background: false,
    rowsTotal: 2,
    rowsValidated: 2,
    rowsDone: 0,
    progress: { phase: 'validating', processed: 2, total: 2 },
    counts: { total: 2, valid: 1, invalid: 1, created: 0, updated: 0, unchanged: 0, errors: 2 },
    detail: '1 of 2 rows is invalid; nothing was imported (dry run)',
    createdBy: 'Ada Admin',
    createdAt: '2026-11-23T10:00:00.000Z',
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:00:01.000Z',
    errors: [
      { row: 3, column: 'category', message: 'no category has the path or name "Nope"', value: 'Nope' },
      { row: 3, column: 'acquisition_cost', message: 'is not a number', value: 'abc' },
    ],
    errorsStored: 2,
    errorsTruncated: false,
    ...patch,
  };
}

async function pickFile(content: string, name: string) {
  const input = q('import-file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File([content], name, { type: 'text/csv' })], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await vi.waitFor(() => expect(text('import-file-name')).toBe(name));
}

describe('asset import and export', () => {
  it('dry-runs a file into a row-by-row report, then imports in the background with progress', SLOW, async () => {
    let polls = 0;
    coreLookups();
    server.use(
      http.get('*/api/fixed-assets/imports', () => HttpResponse.json({ data: [], total: 0, limit: 10, offset: 0 })),
      http.post('*/api/fixed-assets/imports', async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        if (body.dryRun) return HttpResponse.json(job(), { status: 202 });
        return HttpResponse.json(
          job({ number: '4', dryRun: false, mode: 'upsert', status: 'importing', background: true, detail: null, errors: [], rowsDone: 0, progress: { phase: 'importing', processed: 0, total: 4 }, counts: { ...job().counts, invalid: 0, errors: 0 } }),
          { status: 202 },
        );
      }),
      http.get(`*/api/fixed-assets/imports/${JOB_ID}`, () => {
        polls++;
        const running = { number: '4', dryRun: false, mode: 'upsert' as const, background: true, detail: null, errors: [] };
        return HttpResponse.json(
          polls < 2
            ? job({ ...running, status: 'importing', progress: { phase: 'importing', processed: 1, total: 4 }, rowsDone: 1 })
            : job({ ...running, status: 'done', progress: { phase: 'importing', processed: 4, total: 4 }, rowsDone: 4, counts: { total: 4, valid: 4, invalid: 0, created: 3, updated: 1, unchanged: 0, errors: 0 } }),
        );
      }),
    );
    await renderFixedAssets('/fixed-assets/import');
    await vi.waitFor(() => expect(q('import-csv')).not.toBeNull());
    expect(q('nav-fixed-assets-import-export')).not.toBeNull();
    expect(text('import-columns')).toContain('acquisition_cost');
    await pickFile(CSV, 'assets.csv');
    expect(text('import-row-count')).toBe('2 rows');

    await click('import-dry-run');
    await vi.waitFor(() => expect(all('import-error-row').map((e) => e.textContent)).toEqual(['3', '3']));
    const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/fixed-assets/imports');
    expect(posts()[0]!.body).toEqual({ csv: CSV, dryRun: true, fileName: 'assets.csv' });
    expect(all('import-error-column').map((e) => e.textContent)).toEqual(['category', 'acquisition_cost']);
    expect(all('import-error-message')[0]!.textContent).toBe('no category has the path or name "Nope"');
    expect(text('import-status')).toBe('dry run · failed');
    expect(text('import-detail')).toContain('nothing was imported');
    expect(text('import-count-invalid')).toBe('1');

    await pickRadio('import-mode-upsert');
    await click('import-run');
    await vi.waitFor(() => expect(q('import-progress')).not.toBeNull());
    expect(posts()[1]!.body).toEqual({ csv: CSV, mode: 'upsert', fileName: 'assets.csv' });
    await vi.waitFor(() => expect(q('import-progress')!.dataset.percent).toBe('25'), { timeout: 5000 });
    expect(text('import-progress-text')).toBe('Importing row 1 of 4…');
    await vi.waitFor(() => expect(text('import-status')).toBe('done'), { timeout: 5000 });
    expect(q('import-progress')).toBeNull();
    expect(text('import-count-created')).toBe('3');
    expect(text('import-count-updated')).toBe('1');
  });

  it('shows why a file is not usable CSV, and links the export with its filters', SLOW, async () => {
    coreLookups();
    server.use(
      http.get('*/api/fixed-assets/imports', () => HttpResponse.json({ data: [], total: 0, limit: 10, offset: 0 })),
      http.post('*/api/fixed-assets/imports', () => problem(422, 'fixed-assets/invalid-csv', 'Not a usable CSV file', 'Unknown column "colour"; an asset file has the columns tag, name, …')),
    );
    await renderFixedAssets('/fixed-assets/import');
    await vi.waitFor(() => expect(q('import-csv')).not.toBeNull());
    const area = q('import-csv') as HTMLTextAreaElement;
    area.value = 'name;colour\nA;red';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await click('import-dry-run');
    await vi.waitFor(() => expect(text('import-error')).toBe('Unknown column "colour"; an asset file has the columns tag, name, …'));
    expect(q('import-result')).toBeNull();

    expect(q('export-link')!.getAttribute('href')).toBe('/api/fixed-assets/export/assets.csv');
    await choose('export-status', 'In service');
    await choose('export-category', 'IT / Laptops');
    const href = new URL(q('export-link')!.getAttribute('href')!, 'http://x');
    expect(href.searchParams.getAll('status')).toEqual(['in-service']);
    expect(href.searchParams.get('categoryId')).not.toBeNull();
  });

  it('is not offered without the write permission', SLOW, async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['fixed-assets.asset.read'] };
    const { router } = await renderFixedAssets('/fixed-assets/import');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('not-found'));
    expect(q('nav-fixed-assets-import-export')).toBeNull();
    expect(q('nav-fixed-assets-reports')).not.toBeNull();
  });
});
