/**
 * Breakdown reports: a corrective work order is requested for an asset someone found broken, with
 * the priority the asset's criticality gives corrective work. The route (breakdowns.routes.ts)
 * resolves a scanned code to the asset first.
 */
import { cleanText, problems, type Transaction } from '@quartermaster/sdk';
import { BreakdownReported, type Priority, type WorkOrderStatus } from '../../shared/index.js';
import { priorityFor } from '../../domain/index.js';
import { checkFailureCodes, effectiveCriticality } from './catalogue.service.js';
import { createWorkOrder, recordWorkOrderEvent } from './work-order-store.js';

export interface BreakdownInput {
  /** What was scanned, for the history (null: the asset was picked). */
  code?: string | null;
  title?: string;
  description?: string | null;
  assetDown?: boolean;
  failedAt?: string | null;
  problemCode?: string | null;
}

export interface BreakdownView {
  id: string;
  number: string;
  type: 'corrective';
  status: WorkOrderStatus;
  priority: Priority;
  title: string;
  assetId: string;
  assetTag: string;
  assetName: string;
  assetDown: boolean;
  failedAt: string | null;
  problemCode: string | null;
  reportedBy: string;
}

/**
 * Report a breakdown of `asset` as the transaction's actor: a `corrective` work order in
 * `requested` (titled from the description unless `title` is given), its history line, and the
 * `work-order.created` and `breakdown.reported` events. A problem code must be an active one of the
 * catalogue (400 otherwise).
 */
export async function reportBreakdown(tx: Transaction, asset: { id: string; tag: string; name: string }, b: BreakdownInput): Promise<BreakdownView> {
  const codeErrors = await checkFailureCodes(tx, { problem: b.problemCode });
  if (codeErrors.length) throw problems.validation(codeErrors);
  const description = cleanText(b.description);
  const title = b.title?.trim() || `Breakdown: ${asset.name}${description ? ` — ${description.split('\n')[0].slice(0, 120)}` : ''}`.slice(0, 200);
  const { criticality } = await effectiveCriticality(tx, asset.id);
  const priority = priorityFor(criticality, 'corrective');
  const created = (await createWorkOrder(tx, {
    type: 'corrective',
    assetId: asset.id,
    title,
    description,
    status: 'requested',
    priority,
    breakdown: { reportedByLabel: tx.actor.label, assetDown: b.assetDown ?? false, failedAt: b.failedAt ?? null },
  }))!;
  if (b.problemCode) await tx.execute(`UPDATE maintenance_work_order SET problem_code = $2 WHERE id = $1`, [created.id, b.problemCode]);
  await recordWorkOrderEvent(tx, created.id, { type: 'breakdown-reported', note: description, data: { code: b.code ?? null, assetDown: b.assetDown ?? false, failedAt: b.failedAt ?? null, problemCode: b.problemCode ?? null, criticality } });
  await tx.emit(BreakdownReported, {
    id: created.id,
    number: created.number,
    type: 'corrective',
    assetId: asset.id,
    assetTag: asset.tag,
    assetDown: b.assetDown ?? false,
    reportedBy: tx.actor.label,
    description,
  });
  const [row] = await tx.execute<{ status: WorkOrderStatus; failed_at: Date | null }>(`SELECT status, failed_at FROM maintenance_work_order WHERE id = $1`, [created.id]);
  return {
    id: created.id,
    number: created.number,
    type: 'corrective',
    status: row.status,
    priority,
    title,
    assetId: asset.id,
    assetTag: asset.tag,
    assetName: asset.name,
    assetDown: b.assetDown ?? false,
    failedAt: row.failed_at ? new Date(row.failed_at).toISOString() : null,
    problemCode: b.problemCode ?? null,
    reportedBy: tx.actor.label,
  };
}
