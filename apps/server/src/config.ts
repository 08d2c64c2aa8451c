import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Everything the server reads from the environment (documented in the README). */
export interface ServerConfig {
  port: number;
  host: string;
  /** Use this PostgreSQL instead of the embedded one. */
  databaseUrl?: string;
  /** Folder of the embedded database. */
  dataDir: string;
  profile: string;
  adminEmail?: string;
  adminPassword?: string;
  /** Seed the demo organisation into an empty database. */
  demoData: boolean;
  /** Port of the embedded PostgreSQL; 0 picks a free one. */
  embeddedDbPort: number;
  adminDist: string;
  logLevel: string;
  trustProxy: boolean;
  /** Device streams: an external broker URL, `off`, or (unset) the embedded broker. */
  mqttUrl?: string;
  mqttOff: boolean;
  /** Port of the embedded MQTT broker; unset: 1883, or a free port when 1883 is taken. */
  mqttPort?: number;
  /** Extra origins the console may load images from (a map tile server). */
  imageSources: string[];
}

/**
 * The core's device stream options from the environment: `MQTT_URL` (an external broker, or `off`),
 * else an embedded broker on `QM_MQTT_PORT` (default 1883; a free port when 1883 is taken, e.g. by
 * a Mosquitto already running). A profile's own `core.devices.mqtt` wins.
 */
export function mqttOptions(config: ServerConfig): Record<string, unknown> {
  if (config.mqttOff) return { mode: 'off' };
  if (config.mqttUrl) return { mode: 'external', url: config.mqttUrl };
  return { mode: 'embedded', host: '127.0.0.1', port: config.mqttPort ?? 1883, fallbackToFreePort: config.mqttPort === undefined };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const flag = (v: string | undefined, d: boolean) => (v === undefined ? d : !['0', 'false', 'no', 'off'].includes(v.toLowerCase()));
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.QM_DATA_DIR ?? join(repoRoot, '.qm-data')),
    profile: env.QM_PROFILE ?? 'all',
    adminEmail: env.QM_ADMIN_EMAIL || undefined,
    adminPassword: env.QM_ADMIN_PASSWORD || undefined,
    demoData: flag(env.QM_DEMO_DATA, true),
    embeddedDbPort: Number(env.QM_EMBEDDED_DB_PORT ?? 0),
    adminDist: resolve(env.QM_ADMIN_DIST ?? join(repoRoot, 'apps', 'admin', 'dist')),
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: flag(env.QM_TRUST_PROXY, false),
    mqttUrl: env.MQTT_URL && env.MQTT_URL !== 'off' ? env.MQTT_URL : undefined,
    mqttOff: env.MQTT_URL === 'off',
    mqttPort: env.QM_MQTT_PORT === undefined || env.QM_MQTT_PORT === '' ? undefined : Number(env.QM_MQTT_PORT),
    imageSources: (env.QM_IMAGE_SOURCES ?? '').split(/[\s,]+/).filter(Boolean),
  };
}
