import { createHash } from 'node:crypto';
import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { DOCUMENT_KINDS, permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { recordEvent } from '../services/asset-store.js';
import { isoOf, readerOf } from '../services/db.js';
import { DocumentOut } from './outputs.js';
import { IdParams, errorResponses, lit } from './schemas.js';

export const UploadDocumentBody = Type.Object(
  {
    kind: Type.Optional(lit(DOCUMENT_KINDS)),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    contentType: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$', maxLength: 127 }),
    content: Type.String({ minLength: 1, maxLength: 2_200_000, description: 'The file, base64-encoded' }),
  },
  { additionalProperties: false },
);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Shown in the browser: raster images only. Anything else (HTML, SVG, PDF…) downloads, so a stored file never runs as our page. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const documentView = (r: Record<string, any>) => ({
  id: r.id,
  assetId: r.asset_id,
  kind: r.kind,
  name: r.name,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  createdAt: isoOf(r.created_at)!,
  createdBy: r.created_by_label,
});
const COLUMNS = `id, asset_id, kind, name, content_type, size_bytes, sha256, created_at, created_by_label`;

/** Photos and documents of an asset (invoice, warranty, manual…), stored in the database up to `maxDocumentBytes`. */
export function documentRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);

  app.post(
    '/assets/:id/documents',
    {
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Attach a photo or document to an asset',
        description: `Sent base64-encoded in JSON; at most ${options.maxDocumentBytes} bytes decoded.`,
        params: IdParams,
        body: UploadDocumentBody,
        response: { 201: DocumentOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const name = b.name.trim();
      const errors = [];
      if (!name) errors.push({ field: 'name', message: 'must not be blank' });
      if (!BASE64.test(b.content)) errors.push({ field: 'content', message: 'must be base64' });
      const bytes = Buffer.from(b.content, 'base64');
      if (BASE64.test(b.content) && bytes.length > options.maxDocumentBytes) errors.push({ field: 'content', message: `must be at most ${options.maxDocumentBytes} bytes (it is ${bytes.length})` });
      if (errors.length) throw problems.validation(errors);
      const doc = await ctx.transaction(req.actor, async (tx) => {
        const [asset] = await tx.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1 FOR SHARE`, [req.params.id]);
        if (!asset) throw problems.notFound('asset', req.params.id);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const [row] = await tx.execute<Record<string, any>>(
          `INSERT INTO fixed_assets_document (asset_id, kind, name, content_type, size_bytes, sha256, content, created_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
          [req.params.id, b.kind ?? 'other', name, b.contentType.toLowerCase(), bytes.length, sha256, bytes, tx.actor.label],
        );
        const view = documentView(row);
        await recordEvent(tx, req.params.id, { type: 'document-added', data: { documentId: view.id, name, kind: view.kind } });
        await tx.audit({ action: 'created', entityType: 'fixed-assets.document', entityId: view.id, after: view });
        return view;
      });
      return reply.status(201).send(doc);
    },
  );

  app.get(
    '/assets/:id/documents',
    {
      config: { permission: permissions.assetRead },
      schema: { summary: "An asset's photos and documents (without their content)", params: IdParams, response: { 200: Type.Object({ data: Type.Array(DocumentOut) }), ...errorResponses } },
    },
    async (req) => {
      const [asset] = await db.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [req.params.id]);
      if (!asset) throw problems.notFound('asset', req.params.id);
      const rows = await db.execute<Record<string, any>>(`SELECT ${COLUMNS} FROM fixed_assets_document WHERE asset_id = $1 ORDER BY created_at, id`, [req.params.id]);
      return { data: rows.map(documentView) };
    },
  );

  app.get(
    '/documents/:id/content',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: "A document's content",
        params: IdParams,
        response: { 200: Type.String({ contentMediaType: 'application/octet-stream', description: 'The file as uploaded, with its content type' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const [doc] = await db.execute<{ name: string; content_type: string; content: Buffer }>(`SELECT name, content_type, content FROM fixed_assets_document WHERE id = $1`, [req.params.id]);
      if (!doc) throw problems.notFound('document', req.params.id);
      const disposition = INLINE.has(doc.content_type) ? 'inline' : 'attachment';
      return reply
        .header('content-type', doc.content_type)
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(doc.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(doc.content as never); // a Buffer goes out as it is; the schema only documents it
    },
  );

  app.delete(
    '/documents/:id',
    { config: { permission: permissions.assetWrite }, schema: { summary: 'Remove a photo or document', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [row] = await tx.execute<Record<string, any>>(`DELETE FROM fixed_assets_document WHERE id = $1 RETURNING ${COLUMNS}`, [req.params.id]);
        if (!row) throw problems.notFound('document', req.params.id);
        const view = documentView(row);
        await recordEvent(tx, view.assetId, { type: 'document-removed', data: { documentId: view.id, name: view.name, kind: view.kind } });
        await tx.audit({ action: 'deleted', entityType: 'fixed-assets.document', entityId: view.id, before: view });
      });
      return reply.status(204).send(null);
    },
  );
}
