/**
 * A query's rows sent as a CSV download without holding them in memory: one read-only,
 * repeatable-read transaction (every row from the same snapshot) with a server-side cursor fetched
 * 500 rows at a time, written as fast as the client takes them. Plugins' exports and reports use it.
 */
import { PassThrough } from 'node:stream';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/core';
import { csvRow, type CsvValue } from '@quartermaster/sdk';
import { execute } from './sql.js';

export interface CsvQuery {
  /** The download's file name (Content-Disposition). */
  fileName: string;
  header: readonly string[];
  sql: string;
  params: unknown[];
  toRow(row: Record<string, any>): CsvValue[];
}

/** A client that stops reading for this long ends the export (and frees its transaction). */
const STALL_MS = 60_000;

export function sendQueryAsCsv(ctx: { orm: MikroORM; log: FastifyBaseLogger }, reply: FastifyReply, q: CsvQuery) {
  const out = new PassThrough();
  out.write(csvRow(q.header));
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('export aborted: the client stopped reading')), STALL_MS);
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
      await execute(em, `DECLARE csv_export NO SCROLL CURSOR FOR ${q.sql}`, q.params);
      for (;;) {
        if (out.destroyed) throw new Error('export aborted: the client went away');
        const rows = await execute<Record<string, any>>(em, `FETCH FORWARD 500 FROM csv_export`);
        if (!rows.length) break;
        if (!out.write(rows.map((r) => csvRow(q.toRow(r))).join(''))) await drained();
      }
      await execute(em, `CLOSE csv_export`);
    })
    .then(
      () => out.end(),
      (err) => {
        ctx.log.warn({ err, export: q.fileName }, 'CSV export stopped');
        out.destroy(err as Error);
      },
    );
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${q.fileName}"`)
    .header('cache-control', 'no-store')
    .send(out);
}
