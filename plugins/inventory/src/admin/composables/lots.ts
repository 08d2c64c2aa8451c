import { ElMessage, ElMessageBox } from 'element-plus';
import type { InventoryApi } from '../api';
import type { Lot, LotStatus } from '../types';
import { showProblem } from '@quartermaster/ui';

export const LOT_STATUS: Record<LotStatus, { label: string; tag: 'success' | 'warning' | 'danger' | 'info' }> = {
  ok: { label: 'ok', tag: 'success' },
  expiring: { label: 'expiring', tag: 'warning' },
  expired: { label: 'expired', tag: 'danger' },
  blocked: { label: 'blocked', tag: 'danger' },
};

/** Ask, then unblock; resolves the updated lot, or null when cancelled or refused. */
export async function confirmUnblock(api: InventoryApi, lot: Pick<Lot, 'id' | 'code'>): Promise<Lot | null> {
  try {
    await ElMessageBox.confirm(`Lot ${lot.code} can be issued again.`, `Unblock lot ${lot.code}`, { type: 'warning', confirmButtonText: 'Unblock' });
  } catch {
    return null;
  }
  try {
    const updated = await api.lots.patch(lot.id, { blocked: false });
    ElMessage.success(`Lot ${lot.code} unblocked`);
    return updated;
  } catch (err) {
    showProblem(err);
    return null;
  }
}
