/**
 * The Tasmota devices the platform knows, with their latest measurement per channel and what each
 * must be told to publish to the platform. A Pinia store of this module living in the console's
 * own Pinia (the library is shared), so it survives leaving and reopening the page.
 */
import type { ConsoleApi } from '@quartermaster/ui';
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface TasmotaDevice {
  id: string;
  code: string;
  name: string;
  adapter: string;
  status: 'active' | 'disabled';
  locationName: string | null;
  lastSeenAt: string | null;
  health: { state: string; detail?: string | null };
  readingsCount: number;
  errorCount: number;
}
export interface LatestReading {
  channel: string;
  value: string;
  unit: string | null;
  at: string;
}
export interface Broker {
  url: string;
  host: string;
  port: string;
  /** The topic prefix every device publishes under, e.g. `quartermaster/devices`. */
  prefix: string;
  connected: boolean;
}

interface Page<T> {
  data: T[];
  total: number;
}
interface RawReading {
  readAt: string;
  reading: { channel?: string; value?: string; unit?: string };
}
interface IngestionStatus {
  mqtt: { url: string; connected: boolean; topic: string } | null;
}

/** `mqtt://127.0.0.1:1883` and `quartermaster/devices/<device code>/readings` → what a Tasmota needs. */
export function brokerOf(mqtt: IngestionStatus['mqtt']): Broker | null {
  if (!mqtt) return null;
  let host = '';
  let port = '1883';
  try {
    const u = new URL(mqtt.url);
    host = u.hostname;
    port = u.port || (u.protocol === 'mqtts:' ? '8883' : '1883');
  } catch {
    host = mqtt.url;
  }
  return { url: mqtt.url, host, port, prefix: mqtt.topic.replace(/\/<device code>\/readings$/, ''), connected: mqtt.connected };
}

/**
 * The Tasmota console command that points a device at the platform: Topic = device code, FullTopic
 * under the platform's prefix (the adapter reads `…/<code>/tele/SENSOR`), and the broker login
 * (user = device code, password = the device key shown once when it was registered).
 */
export function setupCommand(code: string, broker: Broker): string {
  return [
    `MqttHost ${broker.host}`,
    `MqttPort ${broker.port}`,
    `MqttUser ${code}`,
    'MqttPassword <device key>',
    `Topic ${code}`,
    `FullTopic ${broker.prefix}/%topic%/%prefix%/`,
  ].reduce((cmd, part, i) => (i === 0 ? `Backlog ${part}` : `${cmd}; ${part}`), '');
}

/** Newest reading first in; keep the newest per channel, channels sorted. */
export function latestPerChannel(readings: RawReading[]): LatestReading[] {
  const out = new Map<string, LatestReading>();
  for (const r of readings) {
    const channel = r.reading.channel;
    if (!channel || typeof r.reading.value !== 'string' || out.has(channel)) continue;
    out.set(channel, { channel, value: r.reading.value, unit: r.reading.unit ?? null, at: r.readAt });
  }
  return [...out.values()].sort((a, b) => a.channel.localeCompare(b.channel));
}

export const useTasmotaStore = defineStore('tasmota', () => {
  const devices = ref<TasmotaDevice[]>([]);
  const latest = ref<Record<string, LatestReading[]>>({});
  const broker = ref<Broker | null>(null);
  const loaded = ref(false);

  async function load(api: ConsoleApi) {
    const [list, ingestion] = await Promise.all([
      api.get<Page<TasmotaDevice>>('/api/core/devices', { kind: 'sensor', limit: 200 }),
      api.get<IngestionStatus>('/api/core/device-ingestion'),
    ]);
    broker.value = brokerOf(ingestion.mqtt);
    devices.value = list.data.filter((d) => d.adapter === 'tasmota');
    const pairs = await Promise.all(
      devices.value.map(async (d) => {
        const page = await api.get<Page<RawReading>>(`/api/core/devices/${d.id}/readings`, { kind: 'measurement', status: 'processed', limit: 100 });
        return [d.id, latestPerChannel(page.data)] as const;
      }),
    );
    latest.value = Object.fromEntries(pairs);
    loaded.value = true;
  }

  return { devices, latest, broker, loaded, load };
});
