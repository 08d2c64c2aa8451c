import { ElMessage, ElMessageBox } from 'element-plus';
import type { FixedAssetsApi } from '../api';
import type { Booking } from '../types';
import { showProblem } from '@quartermaster/ui';

/** Ask for an optional reason, then cancel; resolves the cancelled booking, or null when dismissed or refused. */
export async function cancelBooking(api: FixedAssetsApi, b: Pick<Booking, 'id' | 'number'>): Promise<Booking | null> {
  let reason = '';
  try {
    const answer = (await ElMessageBox.prompt(`Cancel booking B-${b.number}? Its assets become free for the window.`, `Cancel booking B-${b.number}`, {
      confirmButtonText: 'Cancel booking',
      cancelButtonText: 'Keep it',
      inputPlaceholder: 'Reason (optional)',
      type: 'warning',
    })) as { value: string | null };
    reason = answer.value?.trim() ?? '';
  } catch {
    return null;
  }
  try {
    const done = await api.bookings.cancel(b.id, reason ? { reason } : {});
    ElMessage.success(`Booking B-${b.number} cancelled`);
    return done;
  } catch (err) {
    showProblem(err);
    return null;
  }
}

/** Check out everything a booking holds to whoever it is for, until the booking's end. */
export async function checkOutBooking(api: FixedAssetsApi, b: Pick<Booking, 'id' | 'number' | 'holder' | 'endsAt'>): Promise<Booking | null> {
  try {
    await ElMessageBox.confirm(`Hand over booking B-${b.number} to ${b.holder.label}, expected back at its end.`, `Check out booking B-${b.number}`, {
      confirmButtonText: 'Check out',
      type: 'info',
    });
  } catch {
    return null;
  }
  try {
    const end = new Date(b.endsAt);
    const result = await api.bookings.checkOut(b.id, end.getTime() > Date.now() ? { expectedReturnAt: end.toISOString() } : {});
    ElMessage.success(`Booking B-${b.number}: ${result.custodies.length} asset(s) checked out to ${b.holder.label}`);
    return result.booking;
  } catch (err) {
    showProblem(err);
    return null;
  }
}
