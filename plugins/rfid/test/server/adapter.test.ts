import { describe, expect, it } from 'vitest';
import { DeviceDecodeError, type DeviceInfo, type DevicePayload } from '@quartermaster/sdk';
import { rfidReaderAdapter } from '../../src/server/adapter.js';

/**
 * The `rfid-reader` adapter on its own (pure). Payload shapes: Zebra FX7500/FX9600 IoT Connector
 * tag data event (data.idHex, data.antenna, data.peakRssi; timestamp with a ±HHMM offset); Impinj
 * R700 IoT device interface tagInventoryEvent (epcHex, antennaPort, peakRssiCdbm in centi-dBm);
 * Impinj Speedway Connect (tag_reads with microsecond timestamps and heartbeats). The EPC is the
 * SGTIN-96 of GS1 EPC TDS 1.13 Appendix E.
 */
const EPC = '3074257BF7194E4000001A85';
const device: DeviceInfo = { id: '5f0c6a43-0000-4000-8000-000000000001', code: 'dock-1', name: 'Dock 1', kind: 'rfid-reader', adapter: 'rfid-reader', model: null, locationId: null, settings: {} };
const payload = (body: unknown, transport: 'http' | 'mqtt' = 'http'): DevicePayload => ({ transport, body, text: typeof body === 'string' ? body : JSON.stringify(body), receivedAt: '2026-11-24T08:00:00.000Z' });

function decodeError(body: unknown): DeviceDecodeError {
  try {
    rfidReaderAdapter.decode(payload(body), device);
  } catch (err) {
    expect(err).toBeInstanceOf(DeviceDecodeError);
    return err as DeviceDecodeError;
  }
  throw new Error('expected a DeviceDecodeError');
}

describe('rfid-reader adapter', () => {
  it('Zebra events (one or an array) become tag readings at the reader-reported instant', () => {
    const zebra = { data: { idHex: EPC.toLowerCase(), antenna: 2, peakRssi: -52, hostName: 'FX9600F0D8AB' }, timestamp: '2024-05-01T10:00:00.123-0700', type: 'SIMPLE' };
    expect(rfidReaderAdapter.decode(payload(zebra), device)).toEqual([{ kind: 'tag-read', at: '2024-05-01T17:00:00.123Z', epc: EPC, antenna: 2, rssi: -52 }]);
    expect(rfidReaderAdapter.decode(payload([zebra, { ...zebra, data: { ...zebra.data, antenna: 1, peakRssi: undefined } }]), device)).toEqual([
      { kind: 'tag-read', at: '2024-05-01T17:00:00.123Z', epc: EPC, antenna: 2, rssi: -52 },
      { kind: 'tag-read', at: '2024-05-01T17:00:00.123Z', epc: EPC, antenna: 1, rssi: null },
    ]);
  });

  it('Impinj R700 (centi-dBm) and Speedway Connect (heartbeats skipped); JSON arriving as text over MQTT', () => {
    const r700 = { timestamp: '2024-05-01T17:00:00.123456789Z', hostname: 'impinj-14-1b-2c', tagInventoryEvent: { epcHex: EPC, antennaPort: 1, peakRssiCdbm: -5250 } };
    expect(rfidReaderAdapter.decode(payload(JSON.stringify(r700), 'mqtt'), device)).toEqual([{ kind: 'tag-read', at: '2024-05-01T17:00:00.123Z', epc: EPC, antenna: 1, rssi: -52.5 }]);
    expect(rfidReaderAdapter.decode(payload({ reader_name: 'SpeedwayR-10-9F-3F', tag_reads: [{ isHeartBeat: true }] }), device)).toEqual([]);
    expect(rfidReaderAdapter.decode(payload('  '), device)).toEqual([]);
  });

  it('refuses what it cannot read with DeviceDecodeError naming the field', () => {
    expect(decodeError('<tags/>')).toMatchObject({ field: '(body)', message: 'is not JSON: a reader sends JSON tag events' });
    expect(decodeError([{ data: { idHex: EPC, antenna: -1 }, timestamp: '2024-05-01T17:00:00Z' }])).toMatchObject({ field: '[0].data.antenna', message: 'antenna must be a non-negative integer, got -1' });
    expect(decodeError({ data: { idHex: EPC, antenna: 1 }, timestamp: '2024-05-01T17:00:00' })).toMatchObject({ field: 'timestamp' });
    const shape = decodeError({ hello: 'world' });
    expect(shape.field).toBe('payload');
    expect(shape.message).toMatch(/^not a tag read from a known reader \(keys: hello\)/);
    expect(decodeError(Array.from({ length: 10_001 }, () => ({})))).toMatchObject({ field: '(body)', message: 'has more than 10,000 events' });
  });

  it('declares its kinds, transports and settings schema', () => {
    expect(rfidReaderAdapter).toMatchObject({ id: 'rfid-reader', kinds: ['rfid-reader'], transports: ['http', 'mqtt'] });
    expect(Object.keys(rfidReaderAdapter.settingsSchema!.properties).sort()).toEqual(['antennas', 'dedupeWindowSeconds', 'portalWindowSeconds', 'rssiThresholdDbm']);
  });
});
