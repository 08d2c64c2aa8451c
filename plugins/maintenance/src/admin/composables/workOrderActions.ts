import { workOrderActionsFrom, type WorkOrderAction, type WorkOrderStatus } from '../../domain/work-order';
import { ACTION_PERMISSIONS } from '../constants';

/**
 * The actions a person may take on a work order in `status`: the domain's state machine says which
 * are legal from there, the permissions which are theirs. Only these are offered as buttons; the
 * server still decides (a stale page gets its 409).
 */
export function actionsFor(status: WorkOrderStatus, can: (permission: string) => boolean): WorkOrderAction[] {
  return workOrderActionsFrom(status).filter((a) => can(ACTION_PERMISSIONS[a]));
}
