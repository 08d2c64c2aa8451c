import type { InjectOptions } from 'fastify';
import type { TestPlatform } from '@quartermaster/testing';
import { FA, MT, NO_SUCH_ID, asset, caller } from './fixtures.js';
import { defineBadInput } from './bad-input.types.js';

/** Bad input to the calibration routes (instruments, results, certificates) and the reports, calendar and dashboard. */

interface F {
  /** An asset that is not an instrument. */
  plain: string;
  /** An instrument with one test point (10 bar ± 0.1). */
  instrument: string;
  disposed: string;
  /** A calibration work order of `plain` (not of the instrument). */
  otherWorkOrder: string;
  calibration: string;
  otherCalibration: string;
  /** An attachment of `calibration`. */
  attachment: string;
}

const V = 'validation';
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const get = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'GET', url: url(f) });
const json = (method: 'POST' | 'PUT', url: (f: F) => string, payload: (f: F) => unknown) => (f: F): InjectOptions => ({ method, url: url(f), payload: payload(f) as never });
const c = (s: string) => () => s;

const settings = { interval: { n: 6, unit: 'month' }, points: [{ nominal: '10', unit: 'bar', tolerance: { plusMinus: '0.1' } }] };
const put = (payload: (f: F) => Record<string, unknown>, id: (f: F) => string = (f) => f.instrument) => json('PUT', (f) => `${MT}/instruments/${id(f)}`, payload);
const point = (p: Record<string, unknown>) => () => ({ ...settings, points: [{ ...settings.points[0], ...p }] });
const result = { performedOn: day(0), performedBy: 'Lab', points: [{ asFound: '10' }] };
const record = (payload: (f: F) => Record<string, unknown>, id: (f: F) => string = (f) => f.instrument) => json('POST', (f) => `${MT}/instruments/${id(f)}/calibrations`, (f) => ({ ...result, ...payload(f) }));
const upload = (payload: Record<string, unknown>, id: (f: F) => string = (f) => f.calibration) =>
  json('POST', (f) => `${MT}/calibrations/${id(f)}/attachments`, () => ({ fileName: 'certificate.pdf', mediaType: 'application/pdf', content: Buffer.from('%PDF').toString('base64'), ...payload }));
const period = `from=${day(-30)}&to=${day(0)}`;

export default defineBadInput<F>({
  area: 'calibration',
  async setup(t: TestPlatform) {
    const call = caller(t);
    const plain = (await asset(t, { name: 'Pump' })).id;
    const instrument = (await asset(t, { name: 'Pressure gauge' })).id;
    await call({ method: 'PUT', url: `${MT}/instruments/${instrument}`, payload: settings }, 201);
    const disposed = (await asset(t, { name: 'Old gauge' })).id;
    await call({ method: 'POST', url: `${FA}/assets/${disposed}/transitions`, payload: { to: 'retired' } }, 200);
    await call({ method: 'POST', url: `${FA}/assets/${disposed}/dispose`, payload: { kind: 'scrapped' } }, 200);
    const otherWorkOrder = (await call({ method: 'POST', url: `${MT}/work-orders`, payload: { type: 'calibration', title: 'Calibrate', assetId: plain } }, 201)).id;
    const calibration = (await call({ method: 'POST', url: `${MT}/instruments/${instrument}/calibrations`, payload: { ...result, certificateNumber: 'CERT-TAKEN' } }, 201)).id;
    const otherCalibration = (await call({ method: 'POST', url: `${MT}/instruments/${instrument}/calibrations`, payload: result }, 201)).id;
    const attachment = (await call({ method: 'POST', url: `${MT}/calibrations/${calibration}/attachments`, payload: { fileName: 'c.pdf', mediaType: 'application/pdf', content: Buffer.from('%PDF').toString('base64') } }, 201)).id;
    return { plain, instrument, disposed, otherWorkOrder, calibration, otherCalibration, attachment };
  },
  cases: [
    // ---- PUT /instruments/:assetId
    { name: 'PUT /instruments/:assetId malformed', req: put(() => settings, c('gauge-1')), status: 400, type: V, fields: ['assetId'] },
    { name: 'PUT /instruments/:assetId unknown asset', req: put(() => settings, c(NO_SUCH_ID)), status: 404, type: 'not-found' },
    { name: 'PUT /instruments/:assetId: interval missing', req: put(() => ({ points: settings.points })), status: 400, type: V, fields: ['interval'] },
    { name: 'PUT /instruments/:assetId: unknown interval unit', req: put(() => ({ ...settings, interval: { n: 2, unit: 'fortnight' } })), status: 400, type: V, fields: ['interval.unit'] },
    { name: 'PUT /instruments/:assetId: interval of 0', req: put(() => ({ ...settings, interval: { n: 0, unit: 'day' } })), status: 400, type: V, fields: ['interval.n'] },
    { name: 'PUT /instruments/:assetId: interval of 11 years', req: put(() => ({ ...settings, interval: { n: 11, unit: 'year' } })), status: 400, type: V, fields: ['interval.n'] },
    { name: 'PUT /instruments/:assetId: no test points', req: put(() => ({ ...settings, points: [] })), status: 400, type: V, fields: ['points'] },
    { name: 'PUT /instruments/:assetId: tolerance both ± and %', req: put(point({ tolerance: { plusMinus: '0.1', percent: '1' } })), status: 400, type: V, fields: ['points.0.tolerance'] },
    { name: 'PUT /instruments/:assetId: tolerance missing', req: put(point({ tolerance: {} })), status: 400, type: V, fields: ['points.0.tolerance'] },
    { name: 'PUT /instruments/:assetId: negative tolerance', req: put(point({ tolerance: { plusMinus: '-0.1' } })), status: 400, type: V, fields: ['points.0.tolerance.plusMinus'] },
    { name: 'PUT /instruments/:assetId: tolerance above 100 %', req: put(point({ tolerance: { percent: '120' } })), status: 400, type: V, fields: ['points.0.tolerance.percent'] },
    { name: 'PUT /instruments/:assetId: percentage of a zero point', req: put(point({ nominal: '0', tolerance: { percent: '1' } })), status: 400, type: V, fields: ['points.0.tolerance.percent'] },
    { name: 'PUT /instruments/:assetId: nominal not a number', req: put(point({ nominal: 'ten' })), status: 400, type: V, fields: ['points.0.nominal'] },
    { name: 'PUT /instruments/:assetId: blank unit and an interval too long, at once', req: put(() => ({ interval: { n: 121, unit: 'month' }, points: [{ nominal: 1, unit: ' ', tolerance: { plusMinus: 0.1 } }] })), status: 400, type: V, fields: ['interval.n', 'points.0.unit'] },
    { name: 'PUT /instruments/:assetId: negative warnDays', req: put(() => ({ ...settings, warnDays: -1 })), status: 400, type: V, fields: ['warnDays'] },
    { name: 'PUT /instruments/:assetId: unknown property', req: put(() => ({ ...settings, colour: 'red' })), status: 400, type: V, fields: ['colour'] },
    { name: 'PUT /instruments/:assetId: asset disposed of', req: put(() => settings, (f) => f.disposed), status: 409, type: 'maintenance/asset-disposed' },
    // ---- GET /instruments, /instruments/:assetId
    { name: 'GET /instruments: unknown status', req: get(c(`${MT}/instruments?status=expired`)), status: 400, type: V, fields: ['status.0'] },
    { name: 'GET /instruments: malformed categoryId', req: get(c(`${MT}/instruments?categoryId=gauges`)), status: 400, type: V, fields: ['categoryId'] },
    { name: 'GET /instruments: limit above 500', req: get(c(`${MT}/instruments?limit=501`)), status: 400, type: V, fields: ['limit'] },
    { name: 'GET /instruments: unknown parameter', req: get(c(`${MT}/instruments?sort=due`)), status: 400, type: V, fields: ['sort'] },
    { name: 'GET /instruments/:assetId malformed', req: get(c(`${MT}/instruments/G-1`)), status: 400, type: V, fields: ['assetId'] },
    { name: 'GET /instruments/:assetId: not an instrument', req: get((f) => `${MT}/instruments/${f.plain}`), status: 404, type: 'not-found' },
    // ---- POST /instruments/:assetId/calibrations
    { name: 'POST calibrations: not an instrument', req: record(() => ({}), (f) => f.plain), status: 404, type: 'not-found' },
    { name: 'POST calibrations: malformed assetId', req: record(() => ({}), c('G-1')), status: 400, type: V, fields: ['assetId'] },
    { name: 'POST calibrations: performedOn missing', req: json('POST', (f) => `${MT}/instruments/${f.instrument}/calibrations`, () => ({ performedBy: 'Lab', points: [{ asFound: '10' }] })), status: 400, type: V, fields: ['performedOn'] },
    { name: 'POST calibrations: performedOn not a date', req: record(() => ({ performedOn: '2025-02-30' })), status: 400, type: V, fields: ['performedOn'] },
    { name: 'POST calibrations: performedOn in the future', req: record(() => ({ performedOn: day(2) })), status: 400, type: V, fields: ['performedOn'] },
    { name: 'POST calibrations: blank performedBy', req: record(() => ({ performedBy: '  ' })), status: 400, type: V, fields: ['performedBy'] },
    { name: 'POST calibrations: a reading too many', req: record(() => ({ points: [{ asFound: '10' }, { asFound: '20' }] })), status: 400, type: V, fields: ['points'] },
    { name: 'POST calibrations: no readings', req: record(() => ({ points: [] })), status: 400, type: V, fields: ['points'] },
    { name: 'POST calibrations: asFound with a decimal comma', req: record(() => ({ points: [{ asFound: '10,02' }] })), status: 400, type: V, fields: ['points.0.asFound'] },
    { name: 'POST calibrations: asLeft absurdly large', req: record(() => ({ points: [{ asFound: '10', asLeft: '99999999999999999' }] })), status: 400, type: V, fields: ['points.0.asLeft'] },
    { name: 'POST calibrations: negative cost', req: record(() => ({ cost: '-5' })), status: 400, type: V, fields: ['cost'] },
    { name: 'POST calibrations: cost with more decimals than the currency', req: record(() => ({ cost: '10.005' })), status: 400, type: V, fields: ['cost'] },
    { name: 'POST calibrations: work order of another asset', req: record((f) => ({ workOrderId: f.otherWorkOrder })), status: 400, type: V, fields: ['workOrderId'] },
    { name: 'POST calibrations: unknown work order', req: record(() => ({ workOrderId: NO_SUCH_ID })), status: 400, type: V, fields: ['workOrderId'] },
    { name: 'POST calibrations: certificate number already recorded', req: record(() => ({ certificateNumber: 'CERT-TAKEN', cost: '10' })), status: 409, type: 'maintenance/duplicate-certificate' },
    { name: 'POST calibrations: result is not given, it is worked out', req: record(() => ({ result: 'pass' })), status: 400, type: V, fields: ['result'] },
    // ---- GET /calibrations, /calibrations/:id
    { name: 'GET /calibrations: to before from', req: get(c(`${MT}/calibrations?from=2025-02-01&to=2025-01-01`)), status: 400, type: V, fields: ['to'] },
    { name: 'GET /calibrations: unknown result', req: get(c(`${MT}/calibrations?result=maybe`)), status: 400, type: V, fields: ['result'] },
    { name: 'GET /calibrations: asFoundFailed not a boolean', req: get(c(`${MT}/calibrations?asFoundFailed=perhaps`)), status: 400, type: V, fields: ['asFoundFailed'] },
    { name: 'GET /calibrations/:id malformed', req: get(c(`${MT}/calibrations/7`)), status: 400, type: V, fields: ['id'] },
    { name: 'GET /calibrations/:id unknown', req: get(c(`${MT}/calibrations/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
    // ---- attachments
    { name: 'POST /calibrations/:id/attachments: unknown calibration', req: upload({}, c(NO_SUCH_ID)), status: 404, type: 'not-found' },
    { name: 'POST /calibrations/:id/attachments: content not base64', req: upload({ content: 'not base64!' }), status: 400, type: V, fields: ['content'] },
    { name: 'POST /calibrations/:id/attachments: content missing', req: json('POST', (f) => `${MT}/calibrations/${f.calibration}/attachments`, () => ({ fileName: 'a.pdf', mediaType: 'application/pdf' })), status: 400, type: V, fields: ['content'] },
    { name: 'POST /calibrations/:id/attachments: media type without a subtype', req: upload({ mediaType: 'pdf' }), status: 400, type: V, fields: ['mediaType'] },
    { name: 'POST /calibrations/:id/attachments: blank file name', req: upload({ fileName: '   ' }), status: 400, type: V, fields: ['fileName'] },
    { name: 'GET attachment: unknown', req: get((f) => `${MT}/calibrations/${f.calibration}/attachments/${NO_SUCH_ID}`), status: 404, type: 'not-found' },
    { name: 'GET attachment: of another calibration', req: get((f) => `${MT}/calibrations/${f.otherCalibration}/attachments/${f.attachment}`), status: 404, type: 'not-found' },
    { name: 'GET attachment: malformed id', req: get((f) => `${MT}/calibrations/${f.calibration}/attachments/certificate.pdf`), status: 400, type: V, fields: ['attachmentId'] },
    // ---- reports
    { name: 'GET /reports/pm-compliance: period missing', req: get(c(`${MT}/reports/pm-compliance`)), status: 400, type: V, fields: ['from', 'to'] },
    { name: 'GET /reports/pm-compliance: to before from', req: get(c(`${MT}/reports/pm-compliance?from=2025-02-01&to=2025-01-31`)), status: 400, type: V, fields: ['to'] },
    { name: 'GET /reports/pm-compliance: unknown format', req: get(c(`${MT}/reports/pm-compliance?${period}&format=xlsx`)), status: 400, type: V, fields: ['format'] },
    { name: 'GET /reports/backlog: unknown type', req: get(c(`${MT}/reports/backlog?type=repair`)), status: 400, type: V, fields: ['type.0'] },
    { name: 'GET /reports/backlog: malformed teamId', req: get(c(`${MT}/reports/backlog?teamId=blue`)), status: 400, type: V, fields: ['teamId'] },
    { name: 'GET /reports/reliability: period in the future', req: get(c(`${MT}/reports/reliability?from=${day(2)}&to=${day(3)}`)), status: 400, type: V, fields: ['from'] },
    { name: 'GET /reports/reliability: from not a date', req: get(c(`${MT}/reports/reliability?from=last-month&to=${day(0)}`)), status: 400, type: V, fields: ['from'] },
    { name: 'GET /reports/costs: to before from', req: get(c(`${MT}/reports/costs?from=2025-02-01&to=2025-01-31`)), status: 400, type: V, fields: ['to'] },
    { name: 'GET /reports/costs: limit 0', req: get(c(`${MT}/reports/costs?${period}&limit=0`)), status: 400, type: V, fields: ['limit'] },
    { name: 'GET /reports/calibration: to missing', req: get(c(`${MT}/reports/calibration?from=${day(-30)}`)), status: 400, type: V, fields: ['to'] },
    { name: 'GET /reports/calibration: malformed locationId', req: get(c(`${MT}/reports/calibration?${period}&locationId=lab`)), status: 400, type: V, fields: ['locationId'] },
    { name: 'GET /calendar: more than 92 days', req: get(c(`${MT}/calendar?from=${day(0)}&to=${day(92)}`)), status: 400, type: V, fields: ['to'] },
    { name: 'GET /calendar: to before from', req: get(c(`${MT}/calendar?from=${day(0)}&to=${day(-1)}`)), status: 400, type: V, fields: ['to'] },
    { name: 'GET /calendar: from missing', req: get(c(`${MT}/calendar?to=${day(0)}`)), status: 400, type: V, fields: ['from'] },
    { name: 'GET /dashboard: unknown parameter', req: get(c(`${MT}/dashboard?days=7`)), status: 400, type: V, fields: ['days'] },
  ],
});
