/**
 * The Tasmota plugin: contributes one device adapter, and a console page (a module the console
 * loads at run time) listing the Tasmota devices with their latest values and setup commands.
 * Enable it in a profile (`"tasmota": {}`) and register sensors with adapter `tasmota` in the
 * console's Devices page.
 */
import { fileURLToPath } from 'node:url';
import { definePlugin, deviceAdapters } from '@quartermaster/sdk';
import { tasmotaAdapter } from './adapter.js';

export { tasmotaAdapter, TasmotaSettings } from './adapter.js';

export const tasmotaPlugin = definePlugin({
  id: 'tasmota',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'Tasmota sensors',
  description: 'Tasmota energy meters and sensors over MQTT (an example third-party device adapter).',
  // Console pages as a module loaded at run time: src/console, built by `qm-console-module build`
  // (the package's `build:console` script) into dist/console.
  console: { dir: fileURLToPath(new URL('../dist/console', import.meta.url)) },
  register(ctx) {
    ctx.extend(deviceAdapters, tasmotaAdapter);
  },
});

export default tasmotaPlugin;
