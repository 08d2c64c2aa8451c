/**
 * Pushing a period's entries to the ERP over HTTP. Each entry carries a key derived from its
 * source (`Idempotency-Key`), the same on every retry, so an ERP that honours it never books an
 * entry twice. Only entries the ERP has not acknowledged are sent; a 2xx acknowledges them, and so
 * does a 409 (the ERP already has that key). Anything else — another status, a dropped connection,
 * a timeout — is recorded as failed and sent again on the next push. No database transaction is
 * held open while the ERP answers: each result is recorded in a transaction of its own.
 */
import { ProblemError, type PluginContext } from '@quartermaster/sdk';
import { PeriodPushed } from '../../shared/index.js';
import { applyFieldMap, type EntryDocument } from '../../domain/export.js';
import type { ErpJournalOptions, ErpTargetOptions } from '../options.js';
import { CONNECTOR_ACTOR, read } from './db.js';
import { ENTRY_SELECT, entryDocument, type EntryRow } from './journal.service.js';
import { createHash } from 'node:crypto';

export interface PushResult {
  entryId: string;
  number: number;
  idempotencyKey: string;
  outcome: 'pushed' | 'already-pushed' | 'failed';
  responseStatus: number | null;
  erpDocumentId: string | null;
  error: string | null;
}

function authHeaders(t: ErpTargetOptions): Record<string, string> {
  const a = t.auth;
  if (!a) return {};
  if (a.type === 'bearer') return { authorization: `Bearer ${a.token}` };
  if (a.type === 'basic') return { authorization: `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}` };
  return { [a.name]: a.value };
}

const docIdOf = (body: unknown, field: string): string | null => {
  if (body && typeof body === 'object' && field in body) {
    const v = (body as Record<string, unknown>)[field];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return null;
};

/** Send one request; the outcome for each entry in it. */
async function send(target: ErpTargetOptions, docs: EntryDocument[]): Promise<Omit<PushResult, 'entryId' | 'number' | 'idempotencyKey'>[]> {
  const fieldMap = target.fieldMap ?? {};
  const batch = docs.length > 1 || (target.batchSize ?? 1) > 1;
  const body = batch ? { entries: docs.map((d) => applyFieldMap(d, fieldMap)) } : applyFieldMap(docs[0], fieldMap);
  // A batch's key is derived from its entries' keys: the same batch retried carries the same key.
  const key = batch ? 'qm-erpj-batch-' + createHash('sha256').update(docs.map((d) => d.idempotencyKey).join(',')).digest('hex').slice(0, 40) : docs[0].idempotencyKey;
  const fail = (error: string, status: number | null = null) => docs.map(() => ({ outcome: 'failed' as const, responseStatus: status, erpDocumentId: null, error }));
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key, ...authHeaders(target) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return fail(e.name === 'TimeoutError' ? `no answer within ${target.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : e.cause?.message ? ` (${e.cause.message})` : ''}`);
  }
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.status === 409 || (res.status >= 200 && res.status < 300)) {
    const outcome = res.status === 409 ? ('already-pushed' as const) : ('pushed' as const);
    const field = target.documentIdField ?? 'id';
    const results = batch && json && typeof json === 'object' && Array.isArray((json as { results?: unknown }).results) ? ((json as { results: unknown[] }).results) : null;
    return docs.map((_, i) => ({ outcome, responseStatus: res.status, erpDocumentId: results ? docIdOf(results[i], field) : docIdOf(json, field), error: null }));
  }
  return fail(`the ERP answered ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`, res.status);
}

export async function pushPeriod(ctx: PluginContext<ErpJournalOptions>, actor: Parameters<PluginContext['transaction']>[0], period: string): Promise<{ period: string; sent: number; alreadyPushed: number; results: PushResult[] }> {
  const target = ctx.options.target;
  if (!target) throw new ProblemError({ type: 'erp-journal/no-erp-target', status: 409, title: 'No ERP configured', detail: 'The plugin option target (url, auth, field mapping) is not set: export the period as CSV or JSON instead', extensions: { period } });
  const minor = ctx.options.currencyMinorUnits;
  const rows = await read(ctx, (db) => db.execute<EntryRow>(`${ENTRY_SELECT} WHERE e.period = $1 ORDER BY e.number`, [period]));
  if (!rows.length) throw new ProblemError({ type: 'erp-journal/nothing-to-push', status: 409, title: 'Nothing to push', detail: `The period ${period} has no journal entries`, extensions: { field: 'period', period } });
  const due = rows.filter((r) => r.push_status !== 'pushed');
  const results: PushResult[] = [];
  const size = target.batchSize ?? 1;
  for (let i = 0; i < due.length; i += size) {
    const docs = due.slice(i, i + size).map((r) => entryDocument(r, minor));
    const outcomes = await send(target, docs);
    const batch = docs.map((d, j) => ({ entryId: d.id, number: d.number, idempotencyKey: d.idempotencyKey, ...outcomes[j] }));
    await ctx.transaction(CONNECTOR_ACTOR, async (tx) => {
      for (const r of batch) {
        await tx.execute(
          `INSERT INTO erp_journal_push_attempt (entry_id, idempotency_key, outcome, response_status, erp_document_id, error) VALUES ($1, $2, $3, $4, $5, $6)`,
          [r.entryId, r.idempotencyKey, r.outcome, r.responseStatus, r.erpDocumentId, r.error],
        );
        const ok = r.outcome !== 'failed';
        await tx.execute(
          `UPDATE erp_journal_entry SET push_attempts = push_attempts + 1, last_response_status = $2, last_error = $3,
                  push_status = CASE WHEN $4::boolean THEN 'pushed' ELSE 'failed' END,
                  pushed_at = CASE WHEN $4::boolean THEN now() ELSE pushed_at END,
                  erp_document_id = coalesce($5, erp_document_id)
            WHERE id = $1 AND push_status <> 'pushed'`,
          [r.entryId, r.responseStatus, r.error, ok, r.erpDocumentId],
        );
      }
    });
    results.push(...batch);
  }
  const count = (o: PushResult['outcome']) => results.filter((r) => r.outcome === o).length;
  const summary = { period, pushed: count('pushed') + count('already-pushed'), failed: count('failed'), alreadyPushed: rows.length - due.length };
  await ctx.transaction(actor, async (tx) => {
    await tx.audit({ action: 'pushed', entityType: 'erp-journal.period', entityId: period, after: { ...summary, url: target.url } });
    await tx.emit(PeriodPushed, summary);
  });
  return { period, sent: due.length, alreadyPushed: rows.length - due.length, results };
}
