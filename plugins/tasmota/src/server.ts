/**
 * The Tasmota plugin: contributes one device adapter and nothing else. Enable it in a profile
 * (`"tasmota": {}`) and register sensors with adapter `tasmota` in the console's Devices page.
 */
import { definePlugin, deviceAdapters } from '@quartermaster/sdk';
import { tasmotaAdapter } from './adapter.js';

export { tasmotaAdapter, TasmotaSettings } from './adapter.js';

export const tasmotaPlugin = definePlugin({
  id: 'tasmota',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'Tasmota sensors',
  description: 'Tasmota energy meters and sensors over MQTT (an example third-party device adapter).',
  register(ctx) {
    ctx.extend(deviceAdapters, tasmotaAdapter);
  },
});

export default tasmotaPlugin;
