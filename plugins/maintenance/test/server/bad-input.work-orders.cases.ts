/**
 * Bad input to the work order, breakdown and catalogue routes: each answers problem+json with a
 * stable type, names the offending fields, and writes nothing (checked by bad-input.test.ts).
 */
import type { InjectOptions } from 'fastify';
import type { TestPlatform } from '@quartermaster/testing';
import { MT, NO_SUCH_ID, asset, caller, category, item, location, receive, userWith } from './fixtures.js';
import { defineBadInput, type BadInputCase } from './bad-input.types.js';
import { slot, step, workOrder } from './work-orders.fixtures.js';

interface F {
  assetId: string;
  categoryId: string;
  userId: string;
  templateId: string;
  /** deactivated */
  inactiveTemplateId: string;
  teamId: string;
  usedTeamId: string;
  itemId: string;
  /** requested, named by nothing else */
  requested: string;
  /** approved, with the template's checklist */
  approved: string;
  approvedItem: string;
  /** in progress, with the template's checklist unanswered, a labour line, a part, an external cost and an attachment */
  inProgress: string;
  checkItem: string;
  /** completed, with a labour line */
  completed: string;
  completedLabour: string;
  completedVersion: number;
}

const V = 'validation';
const WO = (f: F, id: keyof F, rest = '') => `${MT}/work-orders/${f[id]}${rest}`;
const json = (method: 'POST' | 'PUT' | 'PATCH', url: (f: F) => string, payload: (f: F) => unknown) => (f: F): InjectOptions => ({ method, url: url(f), payload: payload(f) as never });
const post = (url: (f: F) => string, payload: (f: F) => unknown) => json('POST', url, payload);
const put = (url: (f: F) => string, payload: (f: F) => unknown) => json('PUT', url, payload);
const patch = (url: (f: F) => string, payload: (f: F) => unknown) => json('PATCH', url, payload);
const get = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'GET', url: url(f) });
const del = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'DELETE', url: url(f) });
const c = (s: string) => () => s;
const items = [
  { kind: 'check', label: 'Guard fitted' },
  { kind: 'reading', label: 'Pressure', unit: 'bar', min: 2, max: 4 },
];

const cases: BadInputCase<F>[] = [
  // ---- checklist templates
  { name: 'GET /checklist-templates: limit 0', req: get(c(`${MT}/checklist-templates?limit=0`)), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /checklist-templates: unknown parameter', req: get(c(`${MT}/checklist-templates?colour=red`)), status: 400, type: V, fields: ['colour'] },
  { name: 'POST /checklist-templates: no items', req: post(c(`${MT}/checklist-templates`), () => ({ name: 'Empty', items: [] })), status: 400, type: V, fields: ['items'] },
  { name: 'POST /checklist-templates: min above max', req: post(c(`${MT}/checklist-templates`), () => ({ name: 'Bad limits', items: [{ kind: 'reading', label: 'T', min: 5, max: 1 }] })), status: 400, type: V, fields: ['items.0.max'] },
  { name: 'POST /checklist-templates: limits on a check', req: post(c(`${MT}/checklist-templates`), () => ({ name: 'Bad check', items: [{ kind: 'check', label: 'T', max: 1 }] })), status: 400, type: V, fields: ['items.0.max'] },
  { name: 'POST /checklist-templates: unknown kind', req: post(c(`${MT}/checklist-templates`), () => ({ name: 'Bad kind', items: [{ kind: 'photo', label: 'T' }] })), status: 400, type: V, fields: ['items.0.kind'] },
  { name: 'POST /checklist-templates: blank name', req: post(c(`${MT}/checklist-templates`), () => ({ name: '  ', items })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /checklist-templates: name taken', req: post(c(`${MT}/checklist-templates`), () => ({ name: 'Bad-input template', items })), status: 409, type: 'maintenance/duplicate-name' },
  { name: 'GET /checklist-templates/:id: unknown', req: get(c(`${MT}/checklist-templates/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'GET /checklist-templates/:id: not a uuid', req: get(c(`${MT}/checklist-templates/nope`)), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /checklist-templates/:id: no version', req: patch((f) => `${MT}/checklist-templates/${f.templateId}`, () => ({ name: 'X' })), status: 400, type: V, fields: ['version'] },
  { name: 'PATCH /checklist-templates/:id: stale version', req: patch((f) => `${MT}/checklist-templates/${f.templateId}`, () => ({ version: 99, name: 'X' })), status: 409, type: 'stale-version' },
  { name: 'PATCH /checklist-templates/:id: bad item', req: patch((f) => `${MT}/checklist-templates/${f.templateId}`, () => ({ version: 1, items: [{ kind: 'text', label: 'x', unit: 'mm' }] })), status: 400, type: V, fields: ['items.0.unit'] },
  { name: 'DELETE /checklist-templates/:id: unknown', req: del(c(`${MT}/checklist-templates/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },

  // ---- teams and technicians
  { name: 'GET /teams: unknown parameter', req: get(c(`${MT}/teams?colour=red`)), status: 400, type: V, fields: ['colour'] },
  { name: 'POST /teams: blank name, negative rate, unknown member', req: post(c(`${MT}/teams`), () => ({ name: ' ', hourlyRate: -5, memberIds: [NO_SUCH_ID] })), status: 400, type: V, fields: ['name', 'hourlyRate', 'memberIds.0'] },
  { name: 'POST /teams: rate with 5 decimals', req: post(c(`${MT}/teams`), () => ({ name: 'Precise', hourlyRate: '1.00001' })), status: 400, type: V, fields: ['hourlyRate'] },
  { name: 'POST /teams: name taken', req: post(c(`${MT}/teams`), () => ({ name: 'Bad-input team' })), status: 409, type: 'maintenance/duplicate-name' },
  { name: 'GET /teams/:id: unknown', req: get(c(`${MT}/teams/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /teams/:id: nothing to change', req: patch((f) => `${MT}/teams/${f.teamId}`, () => ({})), status: 400, type: V },
  { name: 'PATCH /teams/:id: rate not a number', req: patch((f) => `${MT}/teams/${f.teamId}`, () => ({ hourlyRate: 'ten' })), status: 400, type: V, fields: ['hourlyRate'] },
  { name: 'PATCH /teams/:id: unknown', req: patch(c(`${MT}/teams/${NO_SUCH_ID}`), () => ({ name: 'X' })), status: 404, type: 'not-found' },
  { name: 'PUT /teams/:id/members: unknown user', req: put((f) => `${MT}/teams/${f.teamId}/members`, () => ({ userIds: [NO_SUCH_ID] })), status: 400, type: V, fields: ['userIds.0'] },
  { name: 'PUT /teams/:id/members: unknown team', req: put(c(`${MT}/teams/${NO_SUCH_ID}/members`), () => ({ userIds: [] })), status: 404, type: 'not-found' },
  { name: 'DELETE /teams/:id: named by a work order', req: del((f) => `${MT}/teams/${f.usedTeamId}`), status: 409, type: 'maintenance/team-in-use' },
  { name: 'GET /technicians: team not a uuid', req: get(c(`${MT}/technicians?teamId=x`)), status: 400, type: V, fields: ['teamId'] },
  { name: 'PUT /technicians/:userId: no rate', req: put((f) => `${MT}/technicians/${f.userId}`, () => ({ skills: ['x'] })), status: 400, type: V, fields: ['hourlyRate'] },
  { name: 'PUT /technicians/:userId: negative rate', req: put((f) => `${MT}/technicians/${f.userId}`, () => ({ hourlyRate: '-1' })), status: 400, type: V, fields: ['hourlyRate'] },
  { name: 'PUT /technicians/:userId: unknown user', req: put(c(`${MT}/technicians/${NO_SUCH_ID}`), () => ({ hourlyRate: 1 })), status: 404, type: 'not-found' },

  // ---- failure codes
  { name: 'GET /breakdowns/asset: no code', req: get(c(`${MT}/breakdowns/asset`)), status: 400, type: V, fields: ['code'] },
  { name: 'GET /breakdowns/asset: blank code', req: get(c(`${MT}/breakdowns/asset?code=%20%20`)), status: 400, type: V, fields: ['code'] },
  { name: 'GET /breakdowns/asset: unknown code', req: get(c(`${MT}/breakdowns/asset?code=NO-SUCH-TAG`)), status: 404, type: 'maintenance/unknown-asset-code' },
  { name: 'GET /failure-codes: unknown kind', req: get(c(`${MT}/failure-codes?kind=symptom`)), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /failure-codes: lower-case code', req: post(c(`${MT}/failure-codes`), () => ({ kind: 'problem', code: 'leak', description: 'x' })), status: 400, type: V, fields: ['code'] },
  { name: 'POST /failure-codes: blank description', req: post(c(`${MT}/failure-codes`), () => ({ kind: 'cause', code: 'NEW', description: '  ' })), status: 400, type: V, fields: ['description'] },
  { name: 'POST /failure-codes: already there', req: post(c(`${MT}/failure-codes`), () => ({ kind: 'problem', code: 'BADLEAK', description: 'again' })), status: 409, type: 'maintenance/duplicate-failure-code' },
  { name: 'PATCH /failure-codes/:kind/:code: unknown', req: patch(c(`${MT}/failure-codes/problem/NOPE`), () => ({ active: false })), status: 404, type: 'not-found' },
  { name: 'PATCH /failure-codes/:kind/:code: unknown kind', req: patch(c(`${MT}/failure-codes/symptom/BADLEAK`), () => ({ active: false })), status: 400, type: V, fields: ['kind'] },
  { name: 'DELETE /failure-codes/:kind/:code: used by a work order', req: del(c(`${MT}/failure-codes/problem/BADLEAK`)), status: 409, type: 'maintenance/failure-code-in-use' },

  // ---- criticality and category settings
  { name: 'GET /assets/:assetId/profile: unknown asset', req: get(c(`${MT}/assets/${NO_SUCH_ID}/profile`)), status: 404, type: 'not-found' },
  { name: 'PUT /assets/:assetId/profile: criticality D', req: put((f) => `${MT}/assets/${f.assetId}/profile`, () => ({ criticality: 'D' })), status: 400, type: V, fields: ['criticality'] },
  { name: 'PUT /assets/:assetId/profile: unknown asset', req: put(c(`${MT}/assets/${NO_SUCH_ID}/profile`), () => ({ criticality: 'A' })), status: 404, type: 'not-found' },
  { name: 'GET /categories/:categoryId/settings: unknown category', req: get(c(`${MT}/categories/${NO_SUCH_ID}/settings`)), status: 404, type: 'not-found' },
  { name: 'PUT /categories/:categoryId/settings: bad criticality', req: put((f) => `${MT}/categories/${f.categoryId}/settings`, () => ({ defaultCriticality: 'Z' })), status: 400, type: V, fields: ['defaultCriticality'] },
  { name: 'PUT /categories/:categoryId/settings: not a boolean', req: put((f) => `${MT}/categories/${f.categoryId}/settings`, () => ({ blockCheckoutWhenCalibrationOverdue: 'yes' })), status: 400, type: V, fields: ['blockCheckoutWhenCalibrationOverdue'] },

  // ---- work orders
  { name: 'POST /work-orders: no title, unknown type', req: post(c(`${MT}/work-orders`), (f) => ({ type: 'overhaul', assetId: f.assetId })), status: 400, type: V, fields: ['type', 'title'] },
  { name: 'POST /work-orders: unknown asset', req: post(c(`${MT}/work-orders`), () => ({ type: 'preventive', assetId: NO_SUCH_ID, title: 'x' })), status: 400, type: V, fields: ['assetId'] },
  {
    name: 'POST /work-orders: part with no quantity and a typed cost (inventory enabled)',
    req: post(c(`${MT}/work-orders`), (f) => ({ type: 'preventive', assetId: f.assetId, title: 'x', parts: [{ itemId: f.itemId, qty: 0, unitCost: 1 }] })),
    status: 400,
    type: V,
    fields: ['parts.0.qty', 'parts.0.unitCost'],
  },
  { name: 'POST /work-orders: unknown team', req: post(c(`${MT}/work-orders`), (f) => ({ type: 'preventive', assetId: f.assetId, title: 'x', teamId: NO_SUCH_ID })), status: 400, type: V, fields: ['teamId'] },
  { name: 'GET /work-orders: unknown status', req: get(c(`${MT}/work-orders?status=lost`)), status: 400, type: V, fields: ['status.0'] },
  { name: 'GET /work-orders: due range backwards', req: get(c(`${MT}/work-orders?dueFrom=2030-02-01&dueTo=2030-01-01`)), status: 400, type: V, fields: ['dueTo'] },
  { name: 'GET /work-orders/:id: unknown', req: get(c(`${MT}/work-orders/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /work-orders/:id: stale version', req: patch((f) => WO(f, 'requested'), () => ({ version: 99, title: 'x' })), status: 409, type: 'stale-version' },
  { name: 'PATCH /work-orders/:id: blank title', req: patch((f) => WO(f, 'requested'), () => ({ version: 1, title: ' ' })), status: 400, type: V, fields: ['title'] },
  { name: 'PATCH /work-orders/:id: completed', req: patch((f) => WO(f, 'completed'), (f) => ({ version: f.completedVersion, priority: 'high' })), status: 409, type: 'maintenance/wrong-status' },
  { name: 'POST /work-orders/:id/approve: in progress', req: post((f) => WO(f, 'inProgress', '/approve'), () => ({})), status: 409, type: 'maintenance/illegal-transition' },
  { name: 'POST /work-orders/:id/schedule: no end', req: post((f) => WO(f, 'approved', '/schedule'), () => ({ scheduledStart: slot().scheduledStart })), status: 400, type: V, fields: ['scheduledEnd'] },
  { name: 'POST /work-orders/:id/schedule: end before start', req: post((f) => WO(f, 'approved', '/schedule'), () => ({ scheduledStart: '2030-01-02T10:00:00Z', scheduledEnd: '2030-01-02T09:00:00Z' })), status: 400, type: V, fields: ['scheduledEnd'] },
  { name: 'POST /work-orders/:id/schedule: requested', req: post((f) => WO(f, 'requested', '/schedule'), () => slot()), status: 409, type: 'maintenance/illegal-transition' },
  { name: 'POST /work-orders/:id/unschedule: not scheduled', req: post((f) => WO(f, 'approved', '/unschedule'), () => ({})), status: 409, type: 'maintenance/illegal-transition' },
  { name: 'POST /work-orders/:id/start: requested', req: post((f) => WO(f, 'requested', '/start'), () => ({})), status: 409, type: 'maintenance/illegal-transition' },
  { name: 'POST /work-orders/:id/start: stale version', req: post((f) => WO(f, 'approved', '/start'), () => ({ version: 99 })), status: 409, type: 'stale-version' },
  { name: 'POST /work-orders/:id/hold: no reason', req: post((f) => WO(f, 'inProgress', '/hold'), () => ({})), status: 400, type: V, fields: ['reason'] },
  { name: 'POST /work-orders/:id/resume: not on hold', req: post((f) => WO(f, 'approved', '/resume'), () => ({})), status: 409, type: 'maintenance/illegal-transition' },
  { name: 'POST /work-orders/:id/complete: checklist unanswered', req: post((f) => WO(f, 'inProgress', '/complete'), () => ({})), status: 409, type: 'maintenance/checklist-incomplete' },
  { name: 'POST /work-orders/:id/complete: negative quantity used', req: post((f) => WO(f, 'inProgress', '/complete'), () => ({ parts: [{ id: NO_SUCH_ID, qtyUsed: -1 }] })), status: 400, type: V, fields: ['parts.0.qtyUsed'] },
  { name: 'POST /work-orders/:id/complete: bad failure code', req: post((f) => WO(f, 'inProgress', '/complete'), () => ({ problemCode: 'not a code' })), status: 400, type: V, fields: ['problemCode'] },
  { name: 'POST /work-orders/:id/reopen: no reason', req: post((f) => WO(f, 'completed', '/reopen'), () => ({ reason: '' })), status: 400, type: V, fields: ['reason'] },
  { name: 'POST /work-orders/:id/close: in progress', req: post((f) => WO(f, 'inProgress', '/close'), () => ({})), status: 409, type: 'maintenance/illegal-transition' },
  { name: 'POST /work-orders/:id/cancel: in progress', req: post((f) => WO(f, 'inProgress', '/cancel'), () => ({ reason: 'x' })), status: 409, type: 'maintenance/illegal-transition' },
  { name: 'POST /work-orders/:id/cancel: blank reason', req: post((f) => WO(f, 'requested', '/cancel'), () => ({ reason: '   ' })), status: 400, type: V, fields: ['reason'] },
  { name: 'POST /work-orders/:id/cancel: unknown field', req: post((f) => WO(f, 'requested', '/cancel'), () => ({ reason: 'x', force: true })), status: 400, type: V, fields: ['force'] },
  { name: 'POST /work-orders/:id/approve: unknown order', req: post(c(`${MT}/work-orders/${NO_SUCH_ID}/approve`), () => ({})), status: 404, type: 'not-found' },

  // ---- checklist
  { name: 'POST /work-orders/:id/checklist: no template', req: post((f) => WO(f, 'requested', '/checklist'), () => ({})), status: 400, type: V, fields: ['templateId'] },
  { name: 'POST /work-orders/:id/checklist: template not a uuid', req: post((f) => WO(f, 'requested', '/checklist'), () => ({ templateId: 'pump' })), status: 400, type: V, fields: ['templateId'] },
  { name: 'POST /work-orders/:id/checklist: unknown template', req: post((f) => WO(f, 'requested', '/checklist'), () => ({ templateId: NO_SUCH_ID })), status: 400, type: V, fields: ['templateId'] },
  { name: 'POST /work-orders/:id/checklist: inactive template', req: post((f) => WO(f, 'requested', '/checklist'), (f) => ({ templateId: f.inactiveTemplateId })), status: 400, type: V, fields: ['templateId'] },
  { name: 'POST /work-orders/:id/checklist: unknown field', req: post((f) => WO(f, 'requested', '/checklist'), (f) => ({ templateId: f.templateId, replace: true })), status: 400, type: V, fields: ['replace'] },
  { name: 'POST /work-orders/:id/checklist: completed order', req: post((f) => WO(f, 'completed', '/checklist'), (f) => ({ templateId: f.templateId })), status: 409, type: 'maintenance/wrong-status' },
  { name: 'POST /work-orders/:id/checklist: unknown order', req: post(c(`${MT}/work-orders/${NO_SUCH_ID}/checklist`), (f) => ({ templateId: f.templateId })), status: 404, type: 'not-found' },
  { name: 'PUT /work-orders/:id/checklist/:itemId: value for a check', req: put((f) => WO(f, 'inProgress', `/checklist/${f.checkItem}`), () => ({ value: 3 })), status: 400, type: V, fields: ['value', 'passed'] },
  { name: 'PUT /work-orders/:id/checklist/:itemId: not in progress', req: put((f) => WO(f, 'approved', `/checklist/${f.approvedItem}`), () => ({ passed: true })), status: 409, type: 'maintenance/wrong-status' },
  { name: 'PUT /work-orders/:id/checklist/:itemId: unknown item', req: put((f) => WO(f, 'inProgress', `/checklist/${NO_SUCH_ID}`), () => ({ passed: true })), status: 404, type: 'not-found' },
  { name: 'PUT /work-orders/:id/checklist/:itemId: empty answer', req: put((f) => WO(f, 'inProgress', `/checklist/${f.checkItem}`), () => ({})), status: 400, type: V },

  // ---- labour
  { name: 'POST /work-orders/:id/labour: no minutes', req: post((f) => WO(f, 'inProgress', '/labour'), () => ({ minutes: 0 })), status: 400, type: V, fields: ['minutes'] },
  { name: 'POST /work-orders/:id/labour: unknown technician', req: post((f) => WO(f, 'inProgress', '/labour'), () => ({ userId: NO_SUCH_ID, minutes: 5 })), status: 400, type: V, fields: ['userId'] },
  { name: 'POST /work-orders/:id/labour: not started', req: post((f) => WO(f, 'approved', '/labour'), () => ({ minutes: 5 })), status: 409, type: 'maintenance/wrong-status' },
  { name: 'DELETE /work-orders/:id/labour/:labourId: unknown line', req: del((f) => WO(f, 'inProgress', `/labour/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'DELETE /work-orders/:id/labour/:labourId: completed order', req: del((f) => WO(f, 'completed', `/labour/${f.completedLabour}`)), status: 409, type: 'maintenance/wrong-status' },

  // ---- parts
  { name: 'POST /work-orders/:id/parts: no quantity, unknown item', req: post((f) => WO(f, 'approved', '/parts'), () => ({ itemId: NO_SUCH_ID, qty: '0' })), status: 400, type: V, fields: ['qty', 'itemId'] },
  { name: 'POST /work-orders/:id/parts: more than is in stock', req: post((f) => WO(f, 'inProgress', '/parts'), (f) => ({ itemId: f.itemId, qty: 1000 })), status: 409, type: 'inventory/insufficient-stock' },
  { name: 'DELETE /work-orders/:id/parts/:partId: unknown part', req: del((f) => WO(f, 'inProgress', `/parts/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },

  // ---- external costs
  { name: 'POST /work-orders/:id/external-costs: three decimals', req: post((f) => WO(f, 'inProgress', '/external-costs'), () => ({ description: 'Hire', amount: '1.005' })), status: 400, type: V, fields: ['amount'] },
  { name: 'POST /work-orders/:id/external-costs: no description', req: post((f) => WO(f, 'inProgress', '/external-costs'), () => ({ amount: 5 })), status: 400, type: V, fields: ['description'] },
  { name: 'POST /work-orders/:id/external-costs: completed order', req: post((f) => WO(f, 'completed', '/external-costs'), () => ({ description: 'Hire', amount: 5 })), status: 409, type: 'maintenance/wrong-status' },
  { name: 'DELETE /work-orders/:id/external-costs/:costId: unknown cost', req: del((f) => WO(f, 'inProgress', `/external-costs/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },

  // ---- attachments
  { name: 'POST /work-orders/:id/attachments: not base64', req: post((f) => WO(f, 'inProgress', '/attachments'), () => ({ fileName: 'a.png', mediaType: 'image/png', content: 'no!' })), status: 400, type: V, fields: ['content'] },
  { name: 'POST /work-orders/:id/attachments: bad media type', req: post((f) => WO(f, 'inProgress', '/attachments'), () => ({ fileName: 'a.png', mediaType: 'png', content: 'cG5n' })), status: 400, type: V, fields: ['mediaType'] },
  { name: 'GET /work-orders/:id/attachments/:attachmentId: unknown', req: get((f) => WO(f, 'inProgress', `/attachments/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'DELETE /work-orders/:id/attachments/:attachmentId: unknown', req: del((f) => WO(f, 'inProgress', `/attachments/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },

  // ---- breakdowns
  { name: 'POST /breakdowns: unknown code', req: post(c(`${MT}/breakdowns`), () => ({ code: 'NO-SUCH-TAG' })), status: 404, type: 'maintenance/unknown-asset-code' },
  { name: 'POST /breakdowns: no asset named', req: post(c(`${MT}/breakdowns`), () => ({ description: 'Broken' })), status: 400, type: V, fields: ['code'] },
  { name: 'POST /breakdowns: unknown problem code', req: post(c(`${MT}/breakdowns`), (f) => ({ assetId: f.assetId, problemCode: 'NOPE' })), status: 400, type: V, fields: ['problemCode'] },
  { name: 'POST /breakdowns: unknown asset id', req: post(c(`${MT}/breakdowns`), () => ({ assetId: NO_SUCH_ID })), status: 400, type: V, fields: ['assetId'] },
];

export default defineBadInput<F>({
  area: 'work-orders',
  async setup(t: TestPlatform): Promise<F> {
    const call = caller(t);
    const a = await asset(t, { name: 'Bad-input press' });
    const categoryId = await category(t, 'Bad-input category');
    const user = await userWith(t, 'bad-input-tech@example.test', ['maintenance.work-order.execute']);
    const template = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Bad-input template', items } }, 201);
    const inactiveTemplate = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Bad-input retired template', items } }, 201);
    await call({ method: 'PATCH', url: `${MT}/checklist-templates/${inactiveTemplate.id}`, payload: { version: inactiveTemplate.version, active: false } }, 200);
    const team = await call({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Bad-input team' } }, 201);
    const usedTeam = await call({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Bad-input used team' } }, 201);
    await call({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'problem', code: 'BADLEAK', description: 'Leak' } }, 201);
    await call({ method: 'POST', url: `${MT}/breakdowns`, payload: { assetId: a.id, problemCode: 'BADLEAK' } }, 201);
    const stores = await location(t, 'Bad-input stores');
    const itemId = await item(t, 'Bad-input gasket');
    await receive(t, itemId, stores, '10', '2.00');

    const requested = await workOrder(t, { assetId: a.id, teamId: usedTeam.id });
    const approved = await workOrder(t, { assetId: a.id, status: 'approved', checklistTemplateId: template.id });
    const inProgress = await workOrder(t, { assetId: a.id, status: 'approved', checklistTemplateId: template.id, partsLocationId: stores, parts: [{ itemId, qty: '1' }] });
    await step(t, inProgress.id, 'start');
    await call({ method: 'POST', url: `${MT}/work-orders/${inProgress.id}/labour`, payload: { minutes: 30 } }, 201);
    await call({ method: 'POST', url: `${MT}/work-orders/${inProgress.id}/external-costs`, payload: { description: 'Call-out', amount: '50' } }, 201);
    await call({ method: 'POST', url: `${MT}/work-orders/${inProgress.id}/attachments`, payload: { fileName: 'a.png', mediaType: 'image/png', content: 'cG5n' } }, 201);
    const completed = await workOrder(t, { assetId: a.id, status: 'approved' });
    await step(t, completed.id, 'start');
    const withLabour = await call({ method: 'POST', url: `${MT}/work-orders/${completed.id}/labour`, payload: { minutes: 15 } }, 201);
    const done = await step(t, completed.id, 'complete');
    return {
      assetId: a.id,
      categoryId,
      userId: user.id,
      templateId: template.id,
      inactiveTemplateId: inactiveTemplate.id,
      teamId: team.id,
      usedTeamId: usedTeam.id,
      itemId,
      requested: requested.id,
      approved: approved.id,
      approvedItem: approved.checklist.items[0].id,
      inProgress: inProgress.id,
      checkItem: inProgress.checklist.items[0].id,
      completed: completed.id,
      completedLabour: withLabour.labour.lines[0].id,
      completedVersion: done.version,
    };
  },
  cases,
});
