/**
 * Reports as CSV, written with the SDK's CSV writer: RFC 4180 fields (quoted only when they must be,
 * quotes doubled, CRLF records), text a spreadsheet would run as a formula neutralised with a
 * leading apostrophe, and a Content-Disposition that names the file. Small reports are written
 * from memory; reports with a row per asset stream from a server-side cursor so a large register
 * never sits in memory.
 */
import type { FastifyReply } from 'fastify';
import type { PluginContext } from '@quartermaster/sdk';
import { sendQueryAsCsv } from '@quartermaster/core';
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
 * Stream the rows of `sql` as CSV from a cursor in one snapshot (the core's sendQueryAsCsv): a
 * register of any size never sits in memory.
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
  return sendQueryAsCsv(ctx, reply, { fileName, header, sql, params, toRow });
}
