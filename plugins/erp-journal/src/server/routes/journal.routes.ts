import { Type, IdParams, Page, PageQuery, errorResponses, pageOf, problems, toCsv, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { CSV_HEADER, csvRows, type EntryDocument } from '../../domain/export.js';
import { ZERO, dec, money } from '../../domain/money.js';
import type { ErpJournalOptions } from '../options.js';
import { read } from '../services/db.js';
import { ENTRY_SELECT, closedThrough, entryDocument, entryView, type EntryRow } from '../services/journal.service.js';
import { closePeriod, reopenPeriod } from '../services/periods.service.js';
import { pushPeriod } from '../services/push.service.js';
import { periodRange } from '../../domain/periods.js';
import { EntryDocumentOut, EntryOut, Period, PeriodParams, SourceType, Totals } from './schemas.js';

const totalsOf = (docs: EntryDocument[], minor: number) => {
  const debit = docs.reduce((a, d) => a.plus(d.totalDebit), ZERO);
  const credit = docs.reduce((a, d) => a.plus(d.totalCredit), ZERO);
  return { entries: docs.length, lines: docs.reduce((a, d) => a + d.lines.length, 0), debit: money(debit, minor), credit: money(credit, minor), balanced: debit.eq(credit) && docs.every((d) => dec(d.totalDebit).eq(d.totalCredit)) };
};

export function journalRoutes(app: PluginApp, ctx: PluginContext<ErpJournalOptions>) {
  const minor = () => ctx.options.currencyMinorUnits;

  app.get(
    '/entries',
    {
      config: { permission: permissions.journalRead },
      schema: {
        summary: 'Journal entries, newest first, with their lines and push state',
        querystring: Type.Object({ period: Type.Optional(Period), sourceType: Type.Optional(SourceType), account: Type.Optional(Type.String({ minLength: 1 })), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(EntryOut), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const where = `WHERE ($1::text IS NULL OR e.period = $1) AND ($2::text IS NULL OR e.source_type = $2) AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM erp_journal_line x WHERE x.entry_id = e.id AND x.account = $3))`;
      const params = [q.period ?? null, q.sourceType ?? null, q.account ?? null];
      return read(ctx, async (db) => {
        const rows = await db.execute<EntryRow>(`${ENTRY_SELECT} ${where} ORDER BY e.entry_date DESC, e.number DESC LIMIT $4 OFFSET $5`, [...params, limit, offset]);
        const [{ n }] = await db.execute<{ n: string }>(`SELECT count(*)::text AS n FROM erp_journal_entry e ${where}`, params);
        return { data: rows.map((r) => entryView(r, minor())), total: Number(n), limit, offset };
      });
    },
  );

  app.get(
    '/entries/:id',
    { config: { permission: permissions.journalRead }, schema: { summary: 'A journal entry', params: IdParams, response: { 200: EntryOut, ...errorResponses } } },
    async (req) => {
      const [row] = await read(ctx, (db) => db.execute<EntryRow>(`${ENTRY_SELECT} WHERE e.id = $1`, [req.params.id]));
      if (!row) throw problems.notFound('journal entry', req.params.id);
      return entryView(row, minor());
    },
  );

  app.get(
    '/periods',
    {
      config: { permission: permissions.journalRead },
      schema: {
        summary: 'Periods with entries or closed: totals, push and export state',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({
            closedThrough: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
            pushTarget: Type.Boolean(),
            periods: Type.Array(
              Type.Object({
                period: Type.String(),
                status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
                entries: Type.Integer(),
                pushed: Type.Integer(),
                failed: Type.Integer(),
                exported: Type.Integer(),
                debit: Type.String(),
                credit: Type.String(),
                closedAt: Type.Union([Type.String(), Type.Null()]),
                closedBy: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () =>
      read(ctx, async (db) => {
        const through = await closedThrough(db, null);
        const rows = await db.execute<{ period: string; entries: string; pushed: string; failed: string; exported: string; debit: string; credit: string; closed_at: Date | null; closed_by_label: string | null }>(
          `WITH p AS (SELECT period FROM erp_journal_entry UNION SELECT period FROM erp_journal_period)
           SELECT p.period, count(e.id)::text AS entries, count(e.id) FILTER (WHERE e.push_status = 'pushed')::text AS pushed,
                  count(e.id) FILTER (WHERE e.push_status = 'failed')::text AS failed, count(e.id) FILTER (WHERE e.exported_at IS NOT NULL)::text AS exported,
                  coalesce((SELECT sum(l.debit) FROM erp_journal_line l JOIN erp_journal_entry x ON x.id = l.entry_id WHERE x.period = p.period), 0)::text AS debit,
                  coalesce((SELECT sum(l.credit) FROM erp_journal_line l JOIN erp_journal_entry x ON x.id = l.entry_id WHERE x.period = p.period), 0)::text AS credit,
                  cp.closed_at, cp.closed_by_label
             FROM p LEFT JOIN erp_journal_entry e ON e.period = p.period LEFT JOIN erp_journal_period cp ON cp.period = p.period
            GROUP BY p.period, cp.closed_at, cp.closed_by_label ORDER BY p.period DESC`,
        );
        return {
          closedThrough: through,
          pushTarget: !!ctx.options.target,
          periods: rows.map((r) => ({
            period: r.period,
            status: through && periodRange(r.period).end <= through ? ('closed' as const) : ('open' as const),
            entries: Number(r.entries),
            pushed: Number(r.pushed),
            failed: Number(r.failed),
            exported: Number(r.exported),
            debit: money(r.debit, minor()),
            credit: money(r.credit, minor()),
            closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
            closedBy: r.closed_by_label,
          })),
        };
      }),
  );

  /** The period's entries as documents; marks them exported (what a close without an ERP target needs). */
  const exportPeriod = (period: string, actor: Parameters<typeof ctx.transaction>[0], format: string) =>
    ctx.transaction(actor, async (tx) => {
      const rows = await tx.execute<EntryRow>(`${ENTRY_SELECT} WHERE e.period = $1 ORDER BY e.entry_date, e.number`, [period]);
      const marked = await tx.execute(`UPDATE erp_journal_entry SET exported_at = now() WHERE period = $1 AND exported_at IS NULL RETURNING 1`, [period]);
      if (marked.length) await tx.audit({ action: 'exported', entityType: 'erp-journal.period', entityId: period, after: { format, entries: rows.length, newlyExported: marked.length } });
      return rows.map((r) => entryDocument(r, minor()));
    });

  app.get(
    '/periods/:period/journal.json',
    {
      config: { permission: permissions.periodsExport },
      schema: {
        summary: "A period's journal as JSON, with totals and the balance check",
        params: PeriodParams,
        response: { 200: Type.Object({ period: Type.String(), from: Type.String(), to: Type.String(), closed: Type.Boolean(), totals: Totals, byAccount: Type.Array(Type.Object({ account: Type.String(), debit: Type.String(), credit: Type.String() })), entries: Type.Array(EntryDocumentOut) }), ...errorResponses },
      },
    },
    async (req) => {
      const { period } = req.params;
      const docs = await exportPeriod(period, req.actor, 'json');
      const range = periodRange(period);
      const through = await read(ctx, (db) => closedThrough(db, null));
      const accounts = new Map<string, { debit: ReturnType<typeof dec>; credit: ReturnType<typeof dec> }>();
      for (const l of docs.flatMap((d) => d.lines)) {
        const a = accounts.get(l.account) ?? { debit: ZERO, credit: ZERO };
        accounts.set(l.account, { debit: a.debit.plus(l.debit), credit: a.credit.plus(l.credit) });
      }
      return {
        period,
        from: range.start,
        to: range.end,
        closed: !!through && range.end <= through,
        totals: totalsOf(docs, minor()),
        byAccount: [...accounts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([account, v]) => ({ account, debit: money(v.debit, minor()), credit: money(v.credit, minor()) })),
        entries: docs,
      };
    },
  );

  app.get(
    '/periods/:period/journal.csv',
    {
      config: { permission: permissions.periodsExport },
      schema: {
        summary: "A period's journal as CSV, one row per line",
        description: 'RFC 4180, UTF-8, CRLF. Totals in the headers X-Journal-Debit, X-Journal-Credit and X-Journal-Balanced.',
        params: PeriodParams,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const { period } = req.params;
      const docs = await exportPeriod(period, req.actor, 'csv');
      const t = totalsOf(docs, minor());
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="journal-${period}.csv"`)
        .header('x-journal-debit', t.debit)
        .header('x-journal-credit', t.credit)
        .header('x-journal-balanced', String(t.balanced))
        .send(toCsv(CSV_HEADER, csvRows(docs)));
    },
  );

  const pushing = new Map<string, Promise<unknown>>();
  app.post(
    '/periods/:period/push',
    {
      config: { permission: permissions.periodsExport },
      schema: {
        summary: "Send the period's entries the ERP has not acknowledged yet",
        description: 'Each entry (or batch) is POSTed with an Idempotency-Key derived from the entry, the same on every retry; 2xx or 409 acknowledges it. Answers the outcome per entry sent.',
        params: PeriodParams,
        response: {
          200: Type.Object({
            period: Type.String(),
            sent: Type.Integer(),
            alreadyPushed: Type.Integer(),
            results: Type.Array(
              Type.Object({
                entryId: Type.String(),
                number: Type.Integer(),
                idempotencyKey: Type.String(),
                outcome: Type.String(),
                responseStatus: Type.Union([Type.Integer(), Type.Null()]),
                erpDocumentId: Type.Union([Type.String(), Type.Null()]),
                error: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { period } = req.params;
      // One push of a period at a time in this process; the idempotency keys cover the rest.
      while (pushing.has(period)) await pushing.get(period)!.catch(() => undefined);
      const p = pushPeriod(ctx, req.actor, period);
      pushing.set(period, p);
      try {
        return await p;
      } finally {
        pushing.delete(period);
      }
    },
  );

  app.post(
    '/periods/:period/close',
    {
      config: { permission: permissions.periodsClose },
      schema: {
        summary: 'Close a period and every period before it',
        description:
          'Refused (409) while an entry dated in or before it is not in the ERP: pushed and acknowledged, or — when no ERP target is configured — exported as CSV or JSON. Afterwards entries of upstream events dated in a closed period are booked on the first day of the open period, and postings of other plugins into it are refused or re-dated (option backDatedPostings).',
        params: PeriodParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: Type.Object({ period: Type.String(), closedThrough: Type.String(), entries: Type.Integer(), closedBy: Type.String() }), ...errorResponses },
      },
    },
    async (req) => ctx.transaction(req.actor, (tx) => closePeriod(tx, req.params.period, { pushRequired: !!ctx.options.target, today: new Date().toISOString().slice(0, 10) })),
  );

  app.post(
    '/periods/:period/reopen',
    {
      config: { permission: permissions.periodsReopen },
      schema: {
        summary: 'Reopen the last closed period',
        params: PeriodParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: Type.Object({ period: Type.String(), closedThrough: Type.Union([Type.String(), Type.Null()]), reopenedBy: Type.String() }), ...errorResponses },
      },
    },
    async (req) => ctx.transaction(req.actor, (tx) => reopenPeriod(tx, req.params.period)),
  );
}
