import type { PluginDefinition } from '@quartermaster/sdk';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { maintenancePlugin } from '@quartermaster/plugin-maintenance/server';
import { barcodePlugin } from '@quartermaster/plugin-barcode/server';
import { rfidPlugin } from '@quartermaster/plugin-rfid/server';
import { gpsPlugin } from '@quartermaster/plugin-gps/server';
import { erpJournalPlugin } from '@quartermaster/plugin-erp-journal/server';

/**
 * First-party plugins this server can load. A profile enables a subset of them; third-party
 * plugins are loaded from the npm packages a profile names under `packages`.
 */
export const firstPartyPlugins: PluginDefinition<any>[] = [inventoryPlugin, fixedAssetsPlugin, maintenancePlugin, barcodePlugin, rfidPlugin, gpsPlugin, erpJournalPlugin];
