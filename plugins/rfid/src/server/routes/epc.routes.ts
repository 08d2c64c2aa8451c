/** EPC Tag Data Standard coding as a service: hex → URIs and GS1 key, URI → hex. Nothing is stored. */
import { errorResponses, problems, type FieldError, type PluginApp } from '@quartermaster/sdk';
import { EpcError, decodeEpc, encodeEpc, type DecodedEpc, type EncodeEpcInput } from '../../domain/index.js';
import { DecodeBody, DecodedEpcSchema, EncodeBody, permissions, type DecodedEpcDto } from '../../shared/index.js';
import { epcProblem } from '../services/views.js';

const dto = (d: DecodedEpc): DecodedEpcDto => ({ ...d });

/** Runs the domain, turning its refusal into a 422 whose detail is the reason. */
function epc<R>(work: () => R): R {
  try {
    return work();
  } catch (err) {
    if (err instanceof EpcError) throw epcProblem(err);
    throw err;
  }
}

export function epcRoutes(app: PluginApp) {
  app.post(
    '/epc/decode',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Decode an EPC (hex of the EPC bank)',
        description:
          'SGTIN-96/198, SSCC-96, GRAI-96, GIAI-96/202 per the GS1 EPC Tag Data Standard: scheme, filter, partition, company prefix, pure-identity and tag URIs, the GS1 key (gtin + serial, sscc, grai or giai) and its element string. An EPC that is not one of these, or breaks its rules, is 422 `rfid/epc-invalid` whose `detail` says why and whose `code` names the rule.',
        body: DecodeBody,
        response: { 200: DecodedEpcSchema, ...errorResponses },
      },
    },
    async (req) => dto(epc(() => decodeEpc(req.body.hex))),
  );

  app.post(
    '/epc/encode',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Encode an EPC from a tag URI, or from a pure-identity URI with scheme and filter',
        description:
          'Body `{ tagUri }` (urn:epc:tag:sgtin-96:3.0614141.812345.6789) or `{ pureIdentityUri, scheme, filter }`. Answers the hex to write to the tag with everything a decode of it says. Values the scheme cannot carry are 422 `rfid/epc-invalid`.',
        body: EncodeBody,
        response: { 200: DecodedEpcSchema, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const errors: FieldError[] = [];
      let input: EncodeEpcInput;
      if (b.tagUri !== undefined) {
        if (b.pureIdentityUri !== undefined) errors.push({ field: 'pureIdentityUri', message: 'give either tagUri or pureIdentityUri, not both' });
        if (b.scheme !== undefined) errors.push({ field: 'scheme', message: 'only with pureIdentityUri: a tag URI names its scheme' });
        if (b.filter !== undefined) errors.push({ field: 'filter', message: 'only with pureIdentityUri: a tag URI carries its filter' });
        input = { tagUri: b.tagUri };
      } else if (b.pureIdentityUri !== undefined) {
        if (b.scheme === undefined) errors.push({ field: 'scheme', message: 'is required with pureIdentityUri (e.g. sgtin-96)' });
        if (b.filter === undefined) errors.push({ field: 'filter', message: 'is required with pureIdentityUri (0–7)' });
        input = { pureIdentityUri: b.pureIdentityUri, scheme: b.scheme!, filter: b.filter! };
      } else {
        errors.push({ field: 'tagUri', message: 'give a tagUri, or a pureIdentityUri with scheme and filter' });
        input = { tagUri: '' };
      }
      if (errors.length) throw problems.validation(errors);
      // The answer is the decode of what was encoded: the same shape as /epc/decode, and a check of the round trip.
      return dto(epc(() => decodeEpc(encodeEpc(input).hex)));
    },
  );
}
