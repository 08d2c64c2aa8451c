/**
 * Operating the scheduler: run a generation pass or an overdue sweep now, and see past passes.
 * Running needs `maintenance.work-order.manage`; the list needs `maintenance.read`.
 */
import { Type, problems, IsoDate, Nullable, PageQuery, Page, errorResponses, pageOf, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf } from '@quartermaster/core';
import { permissions } from '../../shared/index.js';
import type { MaintenanceOptions } from '../options.js';
import { RUN_COLUMNS, runView, type RunRow } from '../services/generation.service.js';
import { runGeneration, runSweep } from '../services/scheduler.service.js';
import { todayUtc } from '../services/notifications.service.js';

export const RunOut = Type.Object({
  id: Type.String(),
  asOf: IsoDate,
  /** The server instance that ran it (host:pid:random). */
  instance: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  plansChecked: Type.Integer(),
  workOrdersCreated: Type.Integer(),
  /** What went wrong with some plans (the others were generated), or null. */
  error: Nullable(Type.String()),
});

const SweepOut = Type.Object({ asOf: IsoDate, workOrders: Type.Integer(), calibrations: Type.Integer(), readingsDeleted: Type.Integer() });
const AsOfBody = Type.Object({ asOf: Type.Optional(IsoDate) }, { additionalProperties: false });

const notFuture = (asOf: string | undefined) => {
  if (asOf && asOf > todayUtc()) throw problems.validation([{ field: 'asOf', message: 'must not be in the future' }]);
};

export function schedulerRoutes(app: PluginApp, ctx: PluginContext<any>, options: MaintenanceOptions) {
  const db = readerOf(ctx);

  app.post(
    '/scheduler/run',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Run a generation pass now',
        description:
          'Evaluates every active calendar, meter and contributed-kind plan for every asset it applies to, as of `asOf` (default today, UTC; not in the future — an earlier day back-fills), and creates the work orders that are due. Idempotent: each plan × asset × occurrence gets one work order however often passes run, on however many instances. Answers the pass as recorded.',
        body: Type.Optional(AsOfBody),
        response: { 200: RunOut, ...errorResponses },
      },
    },
    async (req) => {
      notFuture(req.body?.asOf);
      return runGeneration(ctx, options, { asOf: req.body?.asOf, actor: req.actor });
    },
  );

  app.post(
    '/scheduler/sweep',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Run the overdue sweep now',
        description:
          'Announces work orders past their due date (before `asOf`, default today) and not finished, and instruments whose calibration is overdue — each once, with an in-app notification and an event delivered to the notification channels — and deletes readings older than `readingRetentionDays`. Runs on its own every `scheduler.overdueSweepSeconds`.',
        body: Type.Optional(AsOfBody),
        response: { 200: SweepOut, ...errorResponses },
      },
    },
    async (req) => {
      notFuture(req.body?.asOf);
      return runSweep(ctx, options, req.body?.asOf);
    },
  );

  app.get(
    '/scheduler/runs',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Generation passes, newest first',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(RunOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const rows = await db.execute<RunRow & { n: string }>(`SELECT ${RUN_COLUMNS}, count(*) OVER () AS n FROM maintenance_generation_run r ORDER BY r.id DESC LIMIT $1 OFFSET $2`, [limit, offset]);
      return { data: rows.map(runView), total: rows.length ? Number(rows[0].n) : 0, limit, offset };
    },
  );
}
