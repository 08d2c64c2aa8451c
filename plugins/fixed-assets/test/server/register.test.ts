import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, caller, category, eventsSince, item, location, person, userWith } from './fixtures.js';
import { permissions } from '../../src/shared/index.js';

describe('the asset register', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let year: number;

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    site = await location(t, 'HQ');
    year = new Date().getUTCFullYear();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers an asset with a numbered tag, its history and its event, and reads it back', async () => {
    const laptop = await item(t, 'Laptop 14"', { kind: 'asset', trackingMode: 'serial' });
    const from = t.events.length;
    const a = await asset(t, {
      name: 'Laptop for Ana',
      itemId: laptop,
      locationId: site,
      serialNumber: ' SN-1 ',
      acquisitionCost: '1249.5',
      purchaseDate: '2025-01-15',
      warrantyEnd: '2028-01-15',
      supplier: 'Centric',
      invoiceNumber: 'INV-1',
      department: 'Sales',
      costCentre: 'CC-1',
    });
    expect(a).toMatchObject({
      tag: `AST-${year}-00001`,
      name: 'Laptop for Ana',
      serialNumber: 'SN-1',
      status: 'in-service',
      condition: 'good',
      acquisitionCost: '1249.50',
      currency: 'EUR',
      purchaseDate: '2025-01-15',
      warrantyEnd: '2028-01-15',
      location: { id: site, name: 'HQ', path: 'HQ' },
      item: { id: laptop, name: 'Laptop 14"' },
      custody: null,
      disposal: null,
      version: 1,
    });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.created']);
    expect(t.events.at(-1)!.payload).toMatchObject({ id: a.id, tag: a.tag, status: 'in-service', locationId: site, acquisitionCost: '1249.50', currency: 'EUR', purchaseDate: '2025-01-15', fromStockMoveLineId: null });
    expect(await call({ method: 'GET', url: `${FA}/assets/${a.id}` }, 200)).toMatchObject({ id: a.id, children: [], childCount: 0 });
    const history = await call({ method: 'GET', url: `${FA}/assets/${a.id}/history` }, 200);
    expect(history).toMatchObject({ total: 1, data: [{ type: 'created', fromStatus: null, toStatus: 'in-service', actor: 'admin@example.test', data: { tag: a.tag } }] });
    const audit = await t.sql(`SELECT action, entity_type FROM core_audit WHERE entity_id = $1`, [a.id]);
    expect(audit).toEqual([{ action: 'created', entity_type: 'fixed-assets.asset' }]);
    expect((await asset(t, { name: 'Second' })).tag).toBe(`AST-${year}-00002`);
  });

  it('registers the tag as a core identifier, so scanning it finds the asset', async () => {
    const a = await asset(t, { name: 'Projector', tag: 'PRJ-7' });
    const resolved = await call({ method: 'GET', url: `/api/core/identifiers/resolve?value=PRJ-7` }, 200);
    expect(resolved.matches).toEqual([
      { identifier: { id: expect.any(String), type: 'asset-tag', value: 'PRJ-7' }, target: { type: 'fixed-assets.asset', id: a.id, label: 'PRJ-7 · Projector', href: `/fixed-assets/assets/${a.id}` } },
    ]);
    // A tag someone else's identifier already uses is refused, naming it; nothing is written.
    const drill = await item(t, 'Drill', { identifiers: [{ type: 'asset-tag', value: 'OLD-1' }] });
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Drill', tag: 'OLD-1' } }));
    expect(expectProblem(res, 409, 'identifier-taken')).toMatchObject({ field: 'tag', identifierType: 'asset-tag', value: 'OLD-1' });
    expect(drill).toBeTruthy();
    const dup = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Other', tag: 'PRJ-7' } }));
    expect(expectProblem(dup, 409, 'fixed-assets/tag-taken')).toMatchObject({ field: 'tag', existingId: a.id });
  });

  it('numbers per category with its code and pattern, and skips numbers taken by hand', async () => {
    const it_ = await category(t, 'IT equipment');
    const laptops = await category(t, 'Laptops', it_);
    const phones = await category(t, 'Phones', it_);
    await call({ method: 'PUT', url: `${FA}/categories/${it_}/settings`, payload: { tagPattern: '{CAT}-{####}' } }, 200);
    await call({ method: 'PUT', url: `${FA}/categories/${laptops}/settings`, payload: { tagCode: 'NB' } }, 200);
    await asset(t, { name: 'Hand-numbered', tag: 'NB-0002' });
    expect((await asset(t, { name: 'L1', categoryId: laptops })).tag).toBe('NB-0001');
    expect((await asset(t, { name: 'L2', categoryId: laptops })).tag).toBe('NB-0003');
    // No code set: made from the name.
    expect((await asset(t, { name: 'P1', categoryId: phones })).tag).toBe('PHO-0001');
    const settings = await call({ method: 'GET', url: `${FA}/categories/${phones}/settings` }, 200);
    expect(settings).toMatchObject({ path: 'IT equipment / Phones', tagCode: null, tagPattern: null, effective: { tagPattern: '{CAT}-{####}', tagCode: 'PHO', fields: [] } });
  });

  it('checks custom fields against the category and the categories above it', async () => {
    const vehicles = await category(t, 'Vehicles');
    const vans = await category(t, 'Vans', vehicles);
    await call({ method: 'PUT', url: `${FA}/categories/${vehicles}/settings`, payload: { fields: [{ key: 'plate', label: 'Licence plate', type: 'text', required: true }] } }, 200);
    await call({ method: 'PUT', url: `${FA}/categories/${vans}/settings`, payload: { fields: [{ key: 'payloadKg', label: 'Payload', type: 'number', min: 0 }] } }, 200);
    const bad = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Van', categoryId: vans, customFields: { payloadKg: -5, colour: 'red' } } }));
    expect(expectProblem(bad, 400, 'validation').errors!.map((e) => e.field).sort()).toEqual(['customFields.colour', 'customFields.payloadKg', 'customFields.plate']);
    const van = await asset(t, { name: 'Van', categoryId: vans, customFields: { plate: 'VZ-318-K', payloadKg: 1180 } });
    expect(van.customFields).toEqual({ plate: 'VZ-318-K', payloadKg: 1180 });
    // The same values in another order are no change.
    const same = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/assets/${van.id}`, payload: { customFields: { payloadKg: 1180, plate: 'VZ-318-K' } } }));
    expect(same.json().version).toBe(1);
    // A definition change that the van would no longer fit is refused, naming it.
    const misfit = await expectNoChange(t, () =>
      t.request({ method: 'PUT', url: `${FA}/categories/${vehicles}/settings`, payload: { fields: [{ key: 'plate', label: 'Plate', type: 'text', maxLength: 5, required: true }] } }),
    );
    expect(expectProblem(misfit, 409, 'fixed-assets/custom-fields-do-not-fit')).toMatchObject({ count: 1, assets: [{ id: van.id, tag: van.tag }] });
    // Moving it to a category without those fields is refused too.
    const other = await category(t, 'Other');
    const moved = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/assets/${van.id}`, payload: { categoryId: other } }));
    expect(expectProblem(moved, 400, 'validation').errors!.map((e) => e.field).sort()).toEqual(['customFields.payloadKg', 'customFields.plate']);
    expect(await call({ method: 'PATCH', url: `${FA}/assets/${van.id}`, payload: { categoryId: other, customFields: {} } }, 200)).toMatchObject({ categoryId: other, customFields: {} });
  });

  it('changes register data with a version check, re-tags, and switches custodians', async () => {
    const ana = await person(t, 'Ana Costa', { employeeNumber: 'E-1' });
    const bob = await userWith(t, 'bob@example.test', [permissions.assetRead]);
    const a = await asset(t, { name: 'Camera', custodianPersonId: ana, acquisitionCost: '899.5' });
    expect(a.custodian).toEqual({ type: 'person', id: ana, label: 'Ana Costa' });
    const from = t.events.length;
    const changed = await call({ method: 'PATCH', url: `${FA}/assets/${a.id}`, payload: { name: 'Camera body', tag: 'CAM-1', custodianUserId: bob.id, version: 1 } }, 200);
    expect(changed).toMatchObject({ name: 'Camera body', tag: 'CAM-1', custodian: { type: 'user', id: bob.id, label: 'bob' }, version: 2 });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.updated']);
    expect(t.events.at(-1)!.payload).toEqual({ id: a.id, tag: 'CAM-1', changed: ['tag', 'name', 'custodianUserId', 'custodianPersonId'] });
    // The old tag no longer resolves, the new one does.
    expect((await call({ method: 'GET', url: `/api/core/identifiers/resolve?value=${a.tag}` }, 200)).matches).toEqual([]);
    expect((await call({ method: 'GET', url: `/api/core/identifiers/resolve?value=CAM-1` }, 200)).matches[0].target.id).toBe(a.id);
    const stale = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/assets/${a.id}`, payload: { name: 'Again', version: 1 } }));
    expect(expectProblem(stale, 409, 'stale-version').currentVersion).toBe(2);
    // Sending what is already there changes nothing.
    const same = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/assets/${a.id}`, payload: { name: 'Camera body', acquisitionCost: 899.5, custodianUserId: bob.id } }));
    expect(same.statusCode).toBe(200);
  });

  it('lists with filters: status, category and location subtrees, custodian, text, paging', async () => {
    const region = await location(t, 'North');
    const depot = await location(t, 'Depot N1', 'building', region);
    const tools = await category(t, 'Tools');
    const power = await category(t, 'Power tools', tools);
    const ana = await person(t, 'Filter Ana');
    const drill = await asset(t, { name: 'Hammer drill', categoryId: power, locationId: depot, serialNumber: 'HD-991', custodianPersonId: ana });
    const saw = await asset(t, { name: 'Circular saw', categoryId: tools, locationId: region, status: 'received' });
    const list = async (qs: string) => (await call({ method: 'GET', url: `${FA}/assets?${qs}` }, 200)) as { data: { id: string }[]; total: number };
    const ids = async (qs: string) => (await list(qs)).data.map((a) => a.id);
    // In tag order, everything under the region.
    expect(await ids(`locationId=${region}`)).toEqual([drill, saw].sort((x, y) => x.tag.localeCompare(y.tag)).map((a) => a.id));
    expect(await ids(`locationId=${depot}`)).toEqual([drill.id]);
    expect(new Set(await ids(`categoryId=${tools}`))).toEqual(new Set([drill.id, saw.id]));
    expect(await ids(`categoryId=${power}`)).toEqual([drill.id]);
    expect(await ids(`categoryId=${tools}&status=received`)).toEqual([saw.id]);
    expect(new Set(await ids(`categoryId=${tools}&status=received&status=in-service`))).toEqual(new Set([drill.id, saw.id]));
    expect(await ids(`custodianPersonId=${ana}`)).toEqual([drill.id]);
    expect(await ids(`q=hd-99`)).toEqual([drill.id]);
    expect(await ids(`q=${encodeURIComponent('circular')}&overdue=false`)).toEqual([saw.id]);
    const page = await list(`categoryId=${tools}&limit=1&offset=1`);
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.data).toHaveLength(1);
    expect(await list(`categoryId=${tools}&offset=5`)).toMatchObject({ total: 2, data: [] });
  });

  it('keeps photos and documents with the asset, served so they never run as a page', async () => {
    const a = await asset(t, { name: 'Documented' });
    const pdf = Buffer.from('%PDF-1.7 warranty');
    const doc = await call({ method: 'POST', url: `${FA}/assets/${a.id}/documents`, payload: { kind: 'warranty', name: 'warranty.pdf', contentType: 'application/pdf', content: pdf.toString('base64') } }, 201);
    expect(doc).toMatchObject({ assetId: a.id, kind: 'warranty', name: 'warranty.pdf', contentType: 'application/pdf', sizeBytes: pdf.length });
    expect((await call({ method: 'GET', url: `${FA}/assets/${a.id}/documents` }, 200)).data).toEqual([doc]);
    const content = await t.request({ method: 'GET', url: `${FA}/documents/${doc.id}/content` });
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.equals(pdf)).toBe(true);
    expect(content.headers).toMatchObject({ 'content-type': 'application/pdf', 'content-disposition': "attachment; filename*=UTF-8''warranty.pdf", 'x-content-type-options': 'nosniff' });
    const html = await call({ method: 'POST', url: `${FA}/assets/${a.id}/documents`, payload: { name: 'x.html', contentType: 'text/html', content: Buffer.from('<script>alert(1)</script>').toString('base64') } }, 201);
    expect((await t.request({ method: 'GET', url: `${FA}/documents/${html.id}/content` })).headers['content-disposition']).toMatch(/^attachment/);
    const big = await expectNoChange(t, () =>
      t.request({ method: 'POST', url: `${FA}/assets/${a.id}/documents`, payload: { name: 'big.bin', contentType: 'application/octet-stream', content: Buffer.alloc(1_048_577).toString('base64') } }),
    );
    expect(expectProblem(big, 400, 'validation').errors).toEqual([{ field: 'content', message: 'must be at most 1048576 bytes (it is 1048577)' }]);
    await call({ method: 'DELETE', url: `${FA}/documents/${doc.id}` }, 204);
    const types = (await call({ method: 'GET', url: `${FA}/assets/${a.id}/history` }, 200)).data.map((e: { type: string }) => e.type);
    expect(types).toEqual(['document-removed', 'document-added', 'document-added', 'created']);
  });
});
