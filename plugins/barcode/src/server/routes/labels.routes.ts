/** Barcode images and printable label sheets. */
import { Type, errorResponses, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf } from '@quartermaster/core';
import { LabelsBody, SymbolQuery, permissions } from '../../shared/index.js';
import { utcToday } from '../services/gs1-reading.js';
import { readSettings } from '../services/keys.service.js';
import { collectLabels, renderLabels } from '../services/labels.service.js';
import { renderSymbol, symbolContent } from '../services/symbols.service.js';

export function labelRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.get(
    '/symbols',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'A barcode image',
        description:
          '`type` qr, datamatrix (plain), gs1-datamatrix, code128, gs1-128 or ean13; `format` svg (default) or png. GS1 symbologies take GS1 data in any form `POST /gs1/parse` reads and check it first; EAN-13 takes 12 digits (check digit added) or 13 with a correct check digit. Invalid data: 422 `gs1-invalid`; data the symbology cannot carry: 422 `barcode/unencodable`.',
        querystring: SymbolQuery,
        response: { 200: Type.String({ contentMediaType: 'image/svg+xml', description: 'SVG document or PNG image' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const content = symbolContent(q.type, q.data, utcToday());
      const image = await renderSymbol(content, q.format ?? 'svg', { scale: q.scale, includeText: q.includeText });
      return reply.header('content-type', image.contentType).header('cache-control', 'private, max-age=3600').send(image.body as never);
    },
  );

  app.post(
    '/labels',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'A printable label sheet',
        description:
          'One label per target (item, asset, location, lot) in the template\'s size and symbology. `html` (default): a page per sheet of `columns × rows` SVG labels sized in mm, with `@page` set to the sheet, ready to print at 100 %. `svg`: the sheets one under the other in one SVG. `zpl`: one ZPL II label per target for Zebra printers (`dpi`, default 203). A target whose plugin is not enabled: 422 `barcode/target-unavailable`; missing: 422 `barcode/unknown-target`; nothing to encode in this symbology: 422 `barcode/no-code` — each naming `targets[i]`.',
        body: LabelsBody,
        response: { 200: Type.String({ contentMediaType: 'text/html', description: 'HTML page, SVG document or ZPL program' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const { companyPrefix } = await readSettings(db);
      const labels = await collectLabels(ctx, b.targets, b.template.symbology, companyPrefix, utcToday());
      const out = renderLabels(labels, b.template, b.format ?? 'html');
      return reply.header('content-type', out.contentType).header('cache-control', 'no-store').send(out.body);
    },
  );
}
