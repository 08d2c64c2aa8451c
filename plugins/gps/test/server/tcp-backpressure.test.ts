import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { definePlugin, readingConsumers } from '@quartermaster/sdk';
import { nmeaChecksum } from '../../src/domain/index.js';
import { gpsPlugin } from '../../src/server/index.js';
import { GPS, caller, idle, positionsOf, registerDevice, tcpTracker, waitFor } from './fixtures.js';

/**
 * Back-pressure on the NMEA TCP listener: while the core's ingestion queue is full (its worker is
 * held by a consumer that waits on a gate), ingest answers 503; the listener pauses the socket and
 * offers the same line again later, so every line the tracker sent is stored once the queue drains.
 *
 * Sentences: RMC in the layout of Dale DePriest, "NMEA data" (gpsinformation.org/dale/nmea.htm,
 * section RMC), one a second on 20 November 2026 (`201126`), checksums computed (XOR of the
 * characters between $ and *).
 */
let gate: Promise<void> | null = null;
let open: () => void = () => undefined;

const gatePlugin = definePlugin({
  id: 'toy-gate',
  version: '0.1.0',
  compatibility: '*',
  register(ctx) {
    ctx.extend(readingConsumers, {
      id: 'toy-gate.hold',
      kinds: ['position'],
      async consume() {
        if (gate) await gate;
      },
    });
  },
});

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform({
    plugins: [gpsPlugin, gatePlugin],
    enable: { gps: { nmeaTcp: { enabled: true, host: '127.0.0.1', port: 0 } }, 'toy-gate': {} },
    coreOptions: { devices: { queueCapacity: 10, batchSize: 1 } },
  });
});
afterAll(async () => {
  open();
  await t?.close();
});

it('pauses a tracker while the queue is full and loses none of its lines', async () => {
  const call = caller(t);
  const receiver = await registerDevice(t, 'nmea-flood', 'nmea');
  const port = (await call({ method: 'GET', url: `${GPS}/status` }, 200)).nmeaTcp.port;
  gate = new Promise<void>((r) => (open = r));
  const tracker = await tcpTracker(port);
  const lines = Array.from({ length: 30 }, (_, i) => {
    const body = `GPRMC,1000${String(i).padStart(2, '0')},A,4807.038,N,01131.000,E,022.4,084.4,201126,003.1,W`;
    return `$${body}*${nmeaChecksum(body)}`;
  });
  tracker.send(`KEY ${receiver.key}`, ...lines);
  await waitFor(async () => (await call({ method: 'GET', url: '/api/core/device-ingestion' }, 200)).queue.refusedFull > 0, 'the queue to refuse a line');
  gate = null;
  open();
  await waitFor(async () => (await positionsOf(t, receiver.id)).length === 30, 'all 30 positions', 30_000);
  await idle(t);
  const stored = await positionsOf(t, receiver.id);
  expect(stored.map((p) => p.at.toISOString())).toEqual(lines.map((_, i) => `2026-11-20T10:00:${String(i).padStart(2, '0')}.000Z`));
  expect(tracker.isClosed()).toBe(false);
  expect(tracker.answer()).toBe('');
  tracker.end();
  await tracker.closed;
});
