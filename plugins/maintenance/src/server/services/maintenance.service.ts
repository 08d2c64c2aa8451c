/**
 * The service other plugins call (`maintenanceService`): device adapters hand over meter and gauge
 * readings, which go through the same checks and plan evaluation as readings entered by hand.
 */
import type { PluginContext } from '@quartermaster/sdk';
import type { MaintenanceService } from '../../shared/index.js';
import { triggerRegistryOf } from './generation.service.js';
import { recordReadingsAsService } from './readings.service.js';

export function createMaintenanceService(ctx: PluginContext<any>): MaintenanceService {
  return {
    recordReadings: (actor, readings) => recordReadingsAsService(ctx, () => triggerRegistryOf(ctx), actor, readings),
  };
}
