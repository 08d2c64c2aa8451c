/**
 * `POST /nmea/parse`: one NMEA 0183 sentence to its fields, for people setting up a receiver (is
 * it sending what we read?). Bad checksum, truncated or malformed: 422 `nmea-invalid` whose
 * `detail` says why.
 */
import { ProblemError, Type, errorResponses, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { NmeaError, parseNmea } from '../../domain/index.js';
import { NmeaFixOut, permissions } from '../../shared/index.js';

const ParseBody = Type.Object({ sentence: Type.String({ minLength: 1, maxLength: 1024, description: 'One sentence with its checksum, e.g. $GPGGA,…*47' }) }, { additionalProperties: false });

export function nmeaRoutes(app: PluginApp, _ctx: PluginContext<any>) {
  app.post('/nmea/parse', {
    schema: {
      summary: 'Parse one NMEA 0183 sentence (GGA, RMC, GLL, VTG)',
      description: 'Answers the fix the sentence carries; latitude and longitude are null without a valid fix. A bad checksum, a truncated or malformed sentence, or a type we do not read is 422 `nmea-invalid` with the reason in `detail` (and `code`, `field`).',
      body: ParseBody,
      response: { 200: NmeaFixOut, ...errorResponses },
    },
    config: { permission: permissions.read },
    handler: async (req) => {
      try {
        const f = parseNmea(req.body.sentence);
        return {
          talker: f.talker,
          type: f.type,
          ...(f.utcTime !== undefined ? { utcTime: f.utcTime } : {}),
          ...(f.datetimeUtc !== undefined ? { datetimeUtc: f.datetimeUtc } : {}),
          latitude: f.latitude,
          longitude: f.longitude,
          fixValid: f.fixValid,
          ...(f.fixQuality !== undefined ? { fixQuality: f.fixQuality } : {}),
          ...(f.satellites !== undefined ? { satellites: f.satellites } : {}),
          ...(f.hdop !== undefined ? { hdop: f.hdop } : {}),
          ...(f.altitudeM !== undefined ? { altitudeM: f.altitudeM } : {}),
          ...(f.speedKnots !== undefined ? { speedKnots: f.speedKnots } : {}),
          ...(f.courseTrueDeg !== undefined ? { courseTrueDeg: f.courseTrueDeg } : {}),
        };
      } catch (error) {
        if (!(error instanceof NmeaError)) throw error;
        throw new ProblemError({
          type: 'nmea-invalid',
          status: 422,
          title: 'Not a valid NMEA sentence',
          detail: error.message,
          extensions: { code: error.code, ...(error.field ? { field: error.field } : {}) },
        });
      }
    },
  });
}
