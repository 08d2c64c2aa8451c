/**
 * Device streams over MQTT. The platform subscribes to `<prefix>/<device code>/#` on a broker and
 * feeds each message through the device's adapter into the ingestion queue. With no broker
 * configured it runs an embedded one (aedes) so devices and tests work out of the box; that broker
 * authenticates devices by their key (user name = device code, password = key) and lets a device
 * publish only under its own code. An external broker (Mosquitto, EMQX, HiveMQ…) must do that
 * itself, with its own accounts and ACLs.
 *
 * Back-pressure: when the queue is full the client stops taking messages from the socket (the
 * message callback waits for room), so the broker holds them — nothing accepted is dropped.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { FastifyBaseLogger } from 'fastify';
import { DeviceProblem, type DeviceRuntime } from './devices.service.js';

export interface MqttOptions {
  /** `off`: no MQTT. `embedded`: run a broker in this process. `external`: connect to `url`. */
  mode: 'off' | 'embedded' | 'external';
  /** Broker URL for `external`, e.g. `mqtt://broker.example:1883` or `mqtts://…`. */
  url?: string;
  username?: string;
  password?: string;
  /** Embedded broker address; port 0 picks a free one. */
  host: string;
  port: number;
  /** When the embedded broker's port is taken (another broker runs there), listen on a free port instead of failing. */
  fallbackToFreePort?: boolean;
  topicPrefix: string;
}

export interface MqttBridge {
  readonly topicPrefix: string;
  /** The URL devices connect to. */
  readonly url: string;
  status(): { url: string; embedded: boolean; connected: boolean; topic: string; messages: number };
  close(): Promise<void>;
}

export async function startMqtt(runtime: DeviceRuntime, options: MqttOptions, log: FastifyBaseLogger): Promise<MqttBridge | null> {
  if (options.mode === 'off') return null;
  const prefix = options.topicPrefix.replace(/\/+$/, '');
  let broker: Aedes | null = null;
  let server: net.Server | null = null;
  let url: string;
  let username = options.username;
  let password = options.password;

  if (options.mode === 'embedded') {
    // The platform's own subscriber signs in with a secret made up at start.
    username = 'quartermaster';
    password = randomBytes(24).toString('base64url');
    const internal = { username, password };
    broker = await Aedes.createBroker({
      authenticate(client, user, pass, done) {
        const key = pass?.toString() ?? '';
        const source = `mqtt:${(client.conn as unknown as { remoteAddress?: string }).remoteAddress ?? client.id}`;
        if (user === internal.username && key === internal.password) return done(null, true);
        if (!user || !key) {
          runtime.countRefusal('unknown-key', source, null, 'MQTT connect without user name (device code) and password (device key)');
          return done(Object.assign(new Error('device code and key required'), { returnCode: 4 }), false);
        }
        runtime
          .deviceByKey(key)
          .then((device) => {
            if (!device || device.code.toLowerCase() !== user.toLowerCase()) {
              runtime.countRefusal('unknown-key', source, device?.id ?? null, `MQTT connect as "${user}" with a key that is not its key`);
              return done(Object.assign(new Error('bad device key'), { returnCode: 4 }), false);
            }
            if (device.status !== 'active') {
              runtime.countRefusal('disabled', source, device.id, `device ${device.code} is disabled`);
              return done(Object.assign(new Error('device disabled'), { returnCode: 5 }), false);
            }
            (client as unknown as { deviceCode?: string }).deviceCode = device.code;
            done(null, true);
          })
          .catch((err) => done(err, false));
      },
      authorizePublish(client, packet, done) {
        const code = (client as unknown as { deviceCode?: string } | null)?.deviceCode;
        if (!client || !code) return done(null); // the platform itself
        const parts = packet.topic.split('/');
        const own = packet.topic.startsWith(prefix + '/') && parts[prefix.split('/').length]?.toLowerCase() === code.toLowerCase();
        done(own ? null : new Error(`device ${code} may publish only under ${prefix}/${code}/`));
      },
      authorizeSubscribe(client, sub, done) {
        // Devices publish; only the platform reads the device topics.
        const code = (client as unknown as { deviceCode?: string } | null)?.deviceCode;
        if (code && sub.topic.startsWith(prefix)) return done(new Error('devices may not subscribe to device topics'));
        done(null, sub);
      },
    });
    server = net.createServer(broker.handle);
    const srv = server;
    const listen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, options.host, () => {
          srv.off('error', reject);
          resolve();
        });
      });
    try {
      await listen(options.port);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EADDRINUSE' || !options.fallbackToFreePort) throw err;
      log.warn(`MQTT port ${options.port} is taken (another broker?); the embedded broker listens on a free port instead`);
      await listen(0);
    }
    const addr = server.address() as AddressInfo;
    url = `mqtt://${options.host}:${addr.port}`;
  } else {
    if (!options.url) throw new Error('MQTT mode "external" needs a broker URL (devices.mqtt.url)');
    url = options.url;
  }

  let messages = 0;
  const client = mqtt.connect(url, {
    username,
    password,
    clientId: `quartermaster-${randomBytes(6).toString('hex')}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });
  client.on('error', (err) => log.warn({ err }, 'MQTT client error'));
  const prefixDepth = prefix.split('/').length;
  client.handleMessage = (packet, callback) => {
    messages++;
    const code = packet.topic.split('/')[prefixDepth];
    const receivedAt = new Date().toISOString();
    const source = `mqtt:${code ?? '?'}`;
    void (async () => {
      try {
        if (!code) return;
        const device = await runtime.deviceByCode(code);
        if (!device) {
          runtime.countRefusal('unknown-key', source, null, `no device has the code "${code}" (topic ${packet.topic})`);
          return;
        }
        const text = Buffer.isBuffer(packet.payload) ? packet.payload.toString('utf8') : String(packet.payload);
        let body: unknown = text;
        const trimmed = text.trimStart();
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        let readings;
        try {
          readings = runtime.decode(device, { transport: 'mqtt', body, text, topic: packet.topic, receivedAt }, source);
        } catch (err) {
          if (err instanceof DeviceProblem) return; // counted by decode
          throw err;
        }
        // Wait for room rather than drop: the broker keeps what we have not read yet.
        while (!runtime.enqueue(device, readings, 'mqtt', receivedAt)) {
          if (runtime.queue.isClosing) return;
          await runtime.queue.waitForRoom(readings.length);
        }
      } catch (err) {
        log.error({ err, topic: packet.topic }, 'MQTT message could not be handled');
      }
    })().then(() => callback());
  };
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => reject(err);
    client.once('error', fail);
    client.once('connect', () => {
      client.off('error', fail);
      resolve();
    });
  });
  await client.subscribeAsync(`${prefix}/+/#`, { qos: 1 });
  log.info({ url, topic: `${prefix}/<device code>/…`, embedded: !!broker }, 'MQTT device streams ready');

  return {
    topicPrefix: prefix,
    url,
    status: () => ({ url, embedded: !!broker, connected: client.connected, topic: `${prefix}/<device code>/readings`, messages }),
    async close() {
      await client.endAsync();
      if (broker) await new Promise<void>((r) => broker!.close(() => r()));
      if (server) await new Promise<void>((r) => server!.close(() => r()));
    },
  };
}
