/**
 * In-app notifications: each person sees the ones addressed to them plus the ones for everyone
 * (user null), and marks them read. A notification for everyone is read per person.
 */
import { Type, Nullable, PageQuery, Uuid, errorResponses, lit, pageOf, problems, type Actor, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { isoInstant, readerOf, type Db } from '@quartermaster/core';
import { permissions } from '../../shared/index.js';

const KINDS = ['work-order.overdue', 'work-order.assigned', 'breakdown.reported', 'calibration.overdue'] as const;

export const NotificationOut = Type.Object({
  id: Type.String({ description: 'a whole number, as text' }),
  kind: lit(KINDS),
  title: Type.String(),
  body: Nullable(Type.String()),
  workOrderId: Nullable(Uuid),
  assetId: Nullable(Uuid),
  /** Addressed to everyone who reads maintenance (not to one person). */
  forEveryone: Type.Boolean(),
  readAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const NotificationParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'notification id' }) }, { additionalProperties: false });

const NOTIFICATION_SELECT = `
  SELECT n.id::text AS id, n.kind, n.title, n.body, n.work_order_id, n.asset_id, n.user_id IS NULL AS for_everyone,
         CASE WHEN n.user_id IS NULL THEN r.read_at ELSE n.read_at END AS read_at, n.created_at
    FROM maintenance_notification n
    LEFT JOIN maintenance_notification_read r ON r.notification_id = n.id AND r.user_id = $1::uuid`;
const MINE = `(n.user_id = $1::uuid OR n.user_id IS NULL)`;

const view = (r: Record<string, any>) => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  workOrderId: r.work_order_id,
  assetId: r.asset_id,
  forEveryone: r.for_everyone,
  readAt: isoInstant(r.read_at),
  createdAt: isoInstant(r.created_at)!,
});

/** The person a notification request is for: people and their API tokens have one, the system does not. */
function personOf(actor: Actor): string {
  if (!actor.userId) throw problems.forbidden(permissions.read);
  return actor.userId;
}

async function visible(db: Db, userId: string, id: string) {
  const [row] = await db.execute<Record<string, any>>(`${NOTIFICATION_SELECT} WHERE n.id = $2::bigint AND ${MINE}`, [userId, id]);
  // Someone else's notification is as absent as one that does not exist.
  if (!row) throw problems.notFound('notification', id);
  return row;
}

export function notificationRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.get(
    '/notifications',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'My notifications and those for everyone, newest first',
        description: '`unread=true` lists only the ones I have not read; `unreadCount` counts my unread ones whatever the filters.',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), kind: Type.Optional(lit(KINDS)), ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Type.Object({ data: Type.Array(NotificationOut), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), unreadCount: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const userId = personOf(req.actor);
      const { limit, offset } = pageOf(req.query);
      const rows = await db.execute<Record<string, any>>(
        `SELECT x.*, count(*) OVER () AS total FROM (${NOTIFICATION_SELECT} WHERE ${MINE} AND ($2::text IS NULL OR n.kind = $2)) x
          WHERE ($3::boolean IS NULL OR (x.read_at IS NULL) = $3)
          ORDER BY x.created_at DESC, x.id::bigint DESC LIMIT $4 OFFSET $5`,
        [userId, req.query.kind ?? null, req.query.unread ?? null, limit, offset],
      );
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM (${NOTIFICATION_SELECT} WHERE ${MINE}) x WHERE x.read_at IS NULL`, [userId]);
      return { data: rows.map(view), total: rows.length ? Number(rows[0].total) : 0, limit, offset, unreadCount: n };
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Mark a notification read (for me)',
        description: 'Idempotent: a notification already read keeps its first read time. Another person\'s notification is 404.',
        params: NotificationParams,
        response: { 200: NotificationOut, ...errorResponses },
      },
    },
    async (req) => {
      const userId = personOf(req.actor);
      await ctx.transaction(req.actor, async (tx) => {
        const row = await visible(tx, userId, req.params.id);
        if (row.read_at) return;
        if (row.for_everyone)
          await tx.execute(`INSERT INTO maintenance_notification_read (notification_id, user_id) VALUES ($1::bigint, $2) ON CONFLICT DO NOTHING`, [row.id, userId]);
        else await tx.execute(`UPDATE maintenance_notification SET read_at = now() WHERE id = $1::bigint AND read_at IS NULL`, [row.id]);
        await tx.audit({ action: 'read', entityType: 'maintenance.notification', entityId: row.id, after: { userId } });
      });
      return view(await visible(db, userId, req.params.id));
    },
  );

  app.post(
    '/notifications/read-all',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Mark all my notifications read',
        description: '`kind` limits it to one kind of notification.',
        querystring: Type.Object({ kind: Type.Optional(lit(KINDS)) }, { additionalProperties: false }),
        response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => {
      const userId = personOf(req.actor);
      const kind = req.query.kind ?? null;
      const marked = await ctx.transaction(req.actor, async (tx) => {
        const own = await tx.execute(`UPDATE maintenance_notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND ($2::text IS NULL OR kind = $2) RETURNING 1`, [userId, kind]);
        const shared = await tx.execute(
          `INSERT INTO maintenance_notification_read (notification_id, user_id)
           SELECT n.id, $1 FROM maintenance_notification n
            WHERE n.user_id IS NULL AND ($2::text IS NULL OR n.kind = $2)
              AND NOT EXISTS (SELECT 1 FROM maintenance_notification_read r WHERE r.notification_id = n.id AND r.user_id = $1)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [userId, kind],
        );
        const n = own.length + shared.length;
        if (n) await tx.audit({ action: 'read-all', entityType: 'maintenance.notification', entityId: userId, after: { marked: n, kind } });
        return n;
      });
      return { marked };
    },
  );
}
