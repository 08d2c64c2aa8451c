/**
 * The `zebra-zpl` device adapter: Zebra-compatible network label printers, reached by the platform
 * over raw TCP (port 9100) to print ZPL and to ask their status (`~HS`). Registering a printer in
 * the core's device registry (kind `printer`, this adapter, settings: host, port, dpi, default
 * template, timeouts) is what makes it a print target for `POST /api/barcode/labels/print`.
 *
 * A printer sends the platform nothing, so the adapter declares no inbound transport: the registry
 * refuses any payload from a printer's key before decoding (422, counted as a wrong transport).
 * `decode` refuses too, with the reason, for any path that still reaches it.
 */
import { DeviceDecodeError, defineDeviceAdapter } from '@quartermaster/sdk';
import { PRINTER_ADAPTER_ID, PrinterSettingsSchema } from '../shared/index.js';

export const zebraPrinterAdapter = defineDeviceAdapter({
  id: PRINTER_ADAPTER_ID,
  label: 'Zebra-compatible ZPL printer (raw TCP)',
  kinds: ['printer'],
  // Output only: the platform connects to the printer, never the other way round.
  transports: [],
  description:
    'Network label printers that take ZPL II on a raw TCP port (Zebra ZT/ZD/GK/ZQ, and compatibles). Settings: host, port (default 9100), dpi (152, 203, 300, 600; default 203), an optional default label template, connect and read timeouts. Labels are sent from the label designer or POST /api/barcode/labels/print; status is asked with ~HS.',
  settingsSchema: PrinterSettingsSchema,
  decode() {
    throw new DeviceDecodeError(
      'a label printer sends no readings: Quartermaster sends it ZPL over raw TCP and asks its status with ~HS (see /api/barcode/printers)',
      '(body)',
    );
  },
  // Printers are never "seen" (they send nothing); their status is asked when needed.
  health: () => ({ state: 'never-seen', detail: 'a printer sends nothing; its status is asked on demand (~HS)' }),
});
