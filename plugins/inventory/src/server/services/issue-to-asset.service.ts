/**
 * A unit of stock capitalised as a fixed asset: an ordinary issue move (valued on the item's
 * method, its COGS becoming the asset's acquisition cost), posted in the caller's transaction so
 * the stock leaves exactly when the asset is registered.
 */
import type { Transaction } from '@quartermaster/sdk';
import type { IssuedToAsset, IssueToAssetInput } from '../../shared/index.js';
import { dec } from '../../domain/money.js';
import { postMove } from './ledger.service.js';

export async function issueToAsset(tx: Transaction, input: IssueToAssetInput, options: Parameters<typeof postMove>[2]): Promise<IssuedToAsset> {
  const posted = await postMove(
    tx,
    {
      type: 'issue',
      reference: input.reference,
      note: input.note ?? 'Capitalised as a fixed asset',
      lines: [
        {
          itemId: input.itemId,
          qty: '1',
          fromLocationId: input.locationId,
          ...(input.lot ? { lot: input.lot } : {}),
          ...(input.serial ? { serials: [input.serial] } : {}),
          reason: 'capitalised as a fixed asset',
        },
      ],
    },
    options,
  );
  const [line] = await tx.execute<{ id: string; amount: string | null; lot: string | null; serial: string | null }>(
    `SELECT ml.id::text AS id, ml.amount::text AS amount, l.code AS lot, s.serial
       FROM inventory_move_line ml LEFT JOIN inventory_serial s ON s.id = ml.serial_id LEFT JOIN inventory_lot l ON l.id = ml.lot_id
      WHERE ml.move_id = $1 ORDER BY ml.line_no LIMIT 1`,
    [posted.id],
  );
  return { moveId: posted.id, moveNumber: String(posted.number), lineId: line.id, amount: line.amount === null ? null : dec(line.amount).toFixed(options.currencyMinorUnits), lot: line.lot, serial: line.serial };
}
