import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { click, problem, q, renderGps, requests, server, text, typeInto } from './harness';

const SLOW = { timeout: 30_000 };

/**
 * The GGA worked example of Dale DePriest, "NMEA data" (gpsinformation.org/dale/nmea.htm, section
 * GGA; also in E. S. Raymond, "NMEA Revealed", gpsd.io/NMEA.html): 48°07.038' N 11°31.000' E,
 * fix quality 1, 8 satellites, HDOP 0.9, 545.4 m above mean sea level. The answers below are what
 * `POST /nmea/parse` gives (see `test/server/nmea-parse.test.ts`); BAD is the same sentence with
 * its checksum changed from 47 to 48.
 */
const GGA = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';
const BAD = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48';

function nmeaServer() {
  server.use(
    http.post('*/api/gps/nmea/parse', async ({ request }) => {
      const { sentence } = (await request.json()) as { sentence: string };
      if (sentence === GGA) {
        return HttpResponse.json({ talker: 'GP', type: 'GGA', utcTime: '12:35:19', latitude: 48.1173, longitude: 11.516666666666667, fixValid: true, fixQuality: 1, satellites: 8, hdop: 0.9, altitudeM: 545.4 });
      }
      if (sentence === BAD) return problem(422, 'nmea-invalid', 'Not a valid NMEA sentence', 'checksum mismatch: expected 47, found 48', { code: 'checksum' });
      return problem(422, 'nmea-invalid', 'Not a valid NMEA sentence', 'GGA fix quality 9 is not 0–8', { code: 'malformed-field', field: 'fixQuality' });
    }),
  );
}

const field = (name: string) => q('nmea-result')?.querySelector(`[data-field="${name}"] [data-testid="nmea-value"]`)?.textContent?.trim();

describe('NMEA sentence check', () => {
  it('shows the fields of a sentence the server reads', SLOW, async () => {
    nmeaServer();
    await renderGps('/gps/nmea');
    await vi.waitFor(() => expect(q('nmea-sentence')).not.toBeNull());
    await typeInto('nmea-sentence', `  ${GGA}  `);
    await click('nmea-parse');
    await vi.waitFor(() => expect(q('nmea-result')).not.toBeNull());
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ sentence: GGA }]);
    expect(field('type')).toBe('GGA');
    expect(field('utcTime')).toBe('12:35:19');
    expect(field('latitude')).toBe('48.1173');
    expect(field('longitude')).toBe('11.516667');
    expect(field('fixValid')).toBe('Yes');
    expect(field('satellites')).toBe('8');
    expect(field('altitudeM')).toBe('545.4');
    // Members the sentence type does not carry are not listed.
    expect(field('speedKnots')).toBeUndefined();
    expect(q('nmea-error')).toBeNull();
  });

  it('shows why the server refuses a sentence (its 422 detail, code and field)', SLOW, async () => {
    nmeaServer();
    await renderGps('/gps/nmea');
    await vi.waitFor(() => expect(q('nmea-sentence')).not.toBeNull());
    await typeInto('nmea-sentence', GGA);
    await click('nmea-parse');
    await vi.waitFor(() => expect(q('nmea-result')).not.toBeNull());
    await typeInto('nmea-sentence', BAD);
    await click('nmea-parse');
    await vi.waitFor(() => expect(q('nmea-error')).not.toBeNull());
    expect(q('nmea-error')!.querySelector('.el-alert__title')!.textContent).toBe('checksum mismatch: expected 47, found 48');
    expect(text('nmea-error-code')).toBe('Code checksum');
    expect(q('nmea-error-field')).toBeNull();
    // The earlier answer does not linger next to the refusal.
    expect(q('nmea-result')).toBeNull();

    await typeInto('nmea-sentence', '$GPGGA,123519,4807.038,N,01131.000,E,9,08,0.9,545.4,M,46.9,M,,*4F');
    await click('nmea-parse');
    await vi.waitFor(() => expect(text('nmea-error-field')).toBe('· field fixQuality'));
    expect(text('nmea-error-code')).toBe('Code malformed-field');
  });
});
