import { describe, expect, it } from 'vitest';
import { checkForm, formOf, newAntennaRow, portalState, settingsOf } from '../../src/admin/composables/readerSettings';

const ZONE_A = '0196c000-0000-7000-8000-00000000f002';
const ZONE_B = '0196c000-0000-7000-8000-00000000f003';

/** The reader form ↔ the `rfid-reader` adapter's settings (`ReaderSettingsSchema`). */
describe('reader settings form', () => {
  it('round-trips the settings, leaving out empty numbers and keeping settings it does not edit', () => {
    const settings = {
      antennas: [
        { antenna: 1, locationId: ZONE_A, portalSide: 'outer' },
        { antenna: 2, locationId: ZONE_B, portalSide: 'inner' },
        { antenna: 3, locationId: ZONE_B },
      ],
      dedupeWindowSeconds: 2.5,
      rssiThresholdDbm: -70,
      custom: { keep: true },
    };
    const form = formOf(settings);
    expect(form.antennas.map((a) => [a.antenna, a.locationId, a.portalSide])).toEqual([
      ['1', ZONE_A, 'outer'],
      ['2', ZONE_B, 'inner'],
      ['3', ZONE_B, 'none'],
    ]);
    expect([form.dedupeWindowSeconds, form.rssiThresholdDbm, form.portalWindowSeconds]).toEqual(['2.5', '-70', '']);
    expect(checkForm(form)).toEqual({});
    expect(settingsOf(form, settings)).toEqual(settings);
    expect(portalState(form)).toBe('portal');
  });

  it('reads malformed settings (a generic JSON reader) as far as they go', () => {
    const form = formOf({ antennas: [null, 'x', { antenna: '4', locationId: 7, portalSide: 'sideways' }], dedupeWindowSeconds: 'soon' });
    expect(form.antennas.map((a) => [a.antenna, a.locationId, a.portalSide])).toEqual([['', '', 'none']]);
    expect(form.dedupeWindowSeconds).toBe('');
    expect(Object.keys(checkForm(form)).sort()).toEqual(['settings.antennas.0.antenna', 'settings.antennas.0.locationId']);
  });

  it('refuses ports outside 1–65535, fractions, repeats, missing zones and numbers out of range', () => {
    const form = formOf({});
    form.antennas = [newAntennaRow('0'), newAntennaRow('1.5'), newAntennaRow('7'), newAntennaRow('7'), newAntennaRow('')];
    form.antennas.forEach((a, i) => (a.locationId = i === 2 ? '' : ZONE_A));
    form.dedupeWindowSeconds = '-1';
    form.rssiThresholdDbm = '51';
    form.portalWindowSeconds = '0';
    expect(checkForm(form)).toEqual({
      'settings.antennas.0.antenna': 'A whole number from 1 to 65535',
      'settings.antennas.1.antenna': 'A whole number from 1 to 65535',
      'settings.antennas.2.locationId': 'Pick the zone this antenna watches',
      'settings.antennas.3.antenna': 'Antenna 7 is already on row 3',
      'settings.antennas.4.antenna': 'Give the antenna port',
      'settings.dedupeWindowSeconds': 'Seconds from 0 to 3600',
      'settings.rssiThresholdDbm': 'dBm from -200 to 50',
      'settings.portalWindowSeconds': 'Seconds, more than 0 and at most 3600',
    });
    form.dedupeWindowSeconds = '0';
    form.rssiThresholdDbm = '-200';
    form.portalWindowSeconds = '3600';
    const rest = checkForm(form);
    expect(Object.keys(rest).filter((k) => !k.startsWith('settings.antennas'))).toEqual([]);
    expect(settingsOf(form)).toMatchObject({ dedupeWindowSeconds: 0, rssiThresholdDbm: -200, portalWindowSeconds: 3600 });
  });

  it('tells a portal from one with a single side set', () => {
    const form = formOf({ antennas: [{ antenna: 1, locationId: ZONE_A, portalSide: 'outer' }] });
    expect(portalState(form)).toBe('one-sided');
    form.antennas[0]!.portalSide = 'none';
    expect(portalState(form)).toBe('none');
  });
});
