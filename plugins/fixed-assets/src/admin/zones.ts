/**
 * Zones the fixed-assets console renders, for other plugins' widgets (declared like the core's
 * `zones` in `@quartermaster/sdk/admin`). Dependency-free, so a plugin's console can import it
 * (`@quartermaster/plugin-fixed-assets/admin/zones`) without loading this console module.
 */
import { defineZone } from '@quartermaster/sdk/admin';

export const fixedAssetsZones = {
  /** On an asset's page, under its register data: e.g. the barcode plugin's label widget. */
  assetDetailSide: defineZone<{ assetId: string }>('fixed-assets.asset.detail.side'),
};
