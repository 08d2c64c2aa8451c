/**
 * Reports as CSV, written with the SDK's CSV writer: RFC 4180 fields (quoted only when they must be,
 * quotes doubled, CRLF records), text a spreadsheet would run as a formula neutralised with a
 * leading apostrophe, and a Content-Disposition that names the file. Small reports are written
 * from memory; reports with a row per asset stream from a server-side cursor so a large register
 * never sits in memory.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { PluginContext } from '@quartermaster/sdk';
import { execute } from '@quartermaster/core';
import { csvRow, neutraliseFormula, type CsvValue } from '@quartermaster/sdk';

export type { CsvValue };

/** Free text for an export: neutralised, null stays empty. */
export const csvText = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : neutraliseFormula(v));

/** `fixed-assets-<report>-<stamp>.csv`, with only safe characters in the stamp. */
export const csvFileName = (report: string, stamp: string) => `fixed-assets-${report}-${stamp.replace(/[^0-9A-Za-z-]/g, '')}.csv`;

const csvHeaders = (reply: FastifyReply, fileName: string) =>
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store');

/** Send a whole CSV document built in memory. */
export function sendCsv(reply: FastifyReply, fileName: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]) {
  return csvHeaders(reply, fileName).send(csvRow(header) + rows.map(csvRow).join(''));
}

/**
 * Stream the rows of `sql` as CSV: one read-only, repeatable-read transaction (every row from the
 * same snapshot) with a cursor fetched 500 rows at a time, written as the client takes them.
 */
export function streamCsv(
  ctx: PluginContext<any>,
  reply: FastifyReply,
  fileName: string,
  header: readonly string[],
  sql: string,
  params: unknown[],
  toRow: (r: Record<string, any>) => CsvValue[],
) {
  const out = new PassThrough();
  out.write(csvRow(header));
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('report aborted: the client stopped reading')), 60_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      out.once('drain', done);
      out.once('close', done);
    });
  ctx.orm.em
    .fork()
    .transactional(async (em) => {
      await execute(em, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
      await execute(em, `DECLARE fixed_assets_report NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        if (out.destroyed) throw new Error('report aborted: the client went away');
        const rows = await execute<Record<string, any>>(em, `FETCH FORWARD 500 FROM fixed_assets_report`);
        if (!rows.length) break;
        if (!out.write(rows.map((r) => csvRow(toRow(r))).join(''))) await drained();
      }
      await execute(em, `CLOSE fixed_assets_report`);
    })
    .then(
      () => out.end(),
      (err) => {
        ctx.log.warn({ err, report: fileName }, 'CSV report stopped');
        out.destroy(err as Error);
      },
    );
  return csvHeaders(reply, fileName).send(out);
}
