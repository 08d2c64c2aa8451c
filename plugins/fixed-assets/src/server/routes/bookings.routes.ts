import { Type, problems, type FieldError, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { BOOKING_STATUSES, checkOutGuards, permissions, type Holder } from '../../shared/index.js';
import { isBookable } from '../../domain/lifecycle.js';
import type { FixedAssetsOptions } from '../options.js';
import { cancelBooking, checkOutBooking, createBooking } from '../services/bookings.service.js';
import { resolveHolder } from '../services/custody.service.js';
import { isoOf, params, readerOf, subtreeCte, type Db } from '../services/db.js';
import { BOOKING_SELECT, bookingView, bookingView1, custodyViews, type BookingRow } from '../services/views.js';
import type { AssetStatus } from '../../shared/index.js';
import { BookingOut, CustodyOut } from './outputs.js';
import { BookingHolderType, ConditionSchema, HolderSchema, IdParams, Instant, Page, PageQuery, Reason, StatusSchema, Uuid, clean, errorResponses, lit, pageOf } from './schemas.js';

export const CreateBookingBody = Type.Object(
  {
    assetIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 100 })),
    kitId: Type.Optional(Uuid),
    startsAt: Instant,
    endsAt: Instant,
    for: Type.Optional(BookingHolderType),
    userId: Type.Optional(Uuid),
    personId: Type.Optional(Uuid),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const BookingListQuery = Type.Object(
  {
    assetId: Type.Optional(Uuid),
    kitId: Type.Optional(Uuid),
    status: Type.Optional(Type.Array(lit(BOOKING_STATUSES), { maxItems: 4 })),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    holderUserId: Type.Optional(Uuid),
    holderPersonId: Type.Optional(Uuid),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const BookingCheckOutBody = Type.Object(
  { expectedReturnAt: Type.Optional(Instant), condition: Type.Optional(ConditionSchema), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const AvailabilityQuery = Type.Object(
  {
    from: Instant,
    to: Instant,
    assetId: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
    kitId: Type.Optional(Uuid),
    categoryId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const Busy = Type.Object({
  kind: lit(['booking', 'custody'] as const),
  id: Uuid,
  number: Type.Union([Type.String(), Type.Null()]),
  startsAt: Type.String(),
  endsAt: Type.Union([Type.String(), Type.Null()]),
  holder: HolderSchema,
});
const AvailabilityOut = Type.Object({
  from: Type.String(),
  to: Type.String(),
  data: Type.Array(Type.Object({ assetId: Uuid, tag: Type.String(), name: Type.String(), status: StatusSchema, available: Type.Boolean(), busy: Type.Array(Busy) })),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export function bookingRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);

  app.post(
    '/bookings',
    {
      config: { permission: permissions.bookingWrite },
      schema: {
        summary: 'Book assets or a kit for a window',
        description:
          'For the caller unless `for` (or `userId`, `personId`, `project`) says otherwise. Overlapping bookings of an asset are refused with 409 `fixed-assets/booking-conflict` naming the booking in the way; so is a window that runs into someone else\'s check-out (`fixed-assets/asset-checked-out`).',
        body: CreateBookingBody,
        response: { 201: BookingOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const booking = await ctx.transaction(req.actor, async (tx) => {
        const errors: FieldError[] = [];
        // Without `for`, the id given says who it is for; with none, it is for the caller.
        const kind = b.for ?? (b.personId ? 'person' : b.project !== undefined ? 'project' : 'user');
        const userId = b.userId ?? (b.for === undefined && kind === 'user' ? (req.actor.userId ?? undefined) : undefined);
        const holder = await resolveHolder(tx, { to: kind, userId, personId: b.personId, project: b.project }, errors, 'for');
        if (errors.length) throw problems.validation(errors);
        const id = await createBooking(tx, { assetIds: b.assetIds, kitId: b.kitId, startsAt: b.startsAt, endsAt: b.endsAt, holder: holder as Holder, note: b.note }, options);
        return bookingView1(tx, id);
      });
      return reply.status(201).send(booking!);
    },
  );

  app.get(
    '/bookings',
    {
      config: { permission: permissions.assetRead },
      schema: { summary: 'Bookings, by start', description: '`from`/`to` keep those overlapping that window.', querystring: BookingListQuery, response: { 200: Page(BookingOut), ...errorResponses } },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      if (q.from && q.to && new Date(q.to) <= new Date(q.from)) throw problems.validation([{ field: 'to', message: 'must be after from' }]);
      const { values, p } = params();
      const where: string[] = ['true'];
      if (q.assetId) where.push(`EXISTS (SELECT 1 FROM fixed_assets_booking_asset x WHERE x.booking_id = b.id AND x.asset_id = ${p(q.assetId)})`);
      if (q.kitId) where.push(`b.kit_id = ${p(q.kitId)}`);
      if (q.status?.length) where.push(`b.status = ANY(${p(q.status)}::text[])`);
      if (q.from || q.to) where.push(`b.period && tstzrange(${p(q.from ?? null)}::timestamptz, ${p(q.to ?? null)}::timestamptz, '[)')`);
      if (q.holderUserId) where.push(`b.holder_user_id = ${p(q.holderUserId)}`);
      if (q.holderPersonId) where.push(`b.holder_person_id = ${p(q.holderPersonId)}`);
      if (q.project) where.push(`b.project = ${p(q.project.trim())}`);
      const rows = await db.execute<BookingRow>(
        `SELECT x.*, count(*) OVER () AS total FROM (${BOOKING_SELECT} WHERE ${where.join(' AND ')}) x ORDER BY x.starts_at, x.number::bigint LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        values,
      );
      return { data: rows.map(bookingView), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.get(
    '/bookings/:id',
    { config: { permission: permissions.assetRead }, schema: { summary: 'One booking', params: IdParams, response: { 200: BookingOut, ...errorResponses } } },
    async (req) => {
      const booking = await bookingView1(db, req.params.id);
      if (!booking) throw problems.notFound('booking', req.params.id);
      return booking;
    },
  );

  app.post(
    '/bookings/:id/cancel',
    {
      config: { permission: permissions.bookingWrite },
      schema: {
        summary: 'Cancel a booking',
        description: 'Only a reserved booking (409 `fixed-assets/booking-not-reserved` once checked out, completed or cancelled).',
        params: IdParams,
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 200: BookingOut, ...errorResponses },
      },
    },
    async (req) =>
      (await ctx.transaction(req.actor, async (tx) => {
        await cancelBooking(tx, req.params.id, clean(req.body?.reason));
        return bookingView1(tx, req.params.id);
      }))!,
  );

  app.post(
    '/bookings/:id/check-out',
    {
      config: { permission: permissions.custodyWrite },
      schema: {
        summary: 'Check out everything a booking holds, to whoever it is for',
        description: 'Until the booking ends (409 `fixed-assets/booking-ended` after). Picking up early or keeping the assets past the end stretches the booking, if no other booking is in the way.',
        params: IdParams,
        body: BookingCheckOutBody,
        response: { 201: Type.Object({ booking: BookingOut, custodies: Type.Array(CustodyOut) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const result = await ctx.transaction(req.actor, async (tx) => {
        const ids = await checkOutBooking(tx, req.params.id, { ...req.body, guards: ctx.extensions(checkOutGuards) });
        return { booking: (await bookingView1(tx, req.params.id))!, custodies: await custodyViews(tx, `c.id = ANY($1::uuid[])`, [ids], 'ORDER BY a.tag') };
      });
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/availability',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Availability calendar: what is booked or out when, in a window',
        description:
          'For each asset (those named, a kit\'s, a category\'s or a location\'s, any depth; else every asset not disposed of): the bookings and custodies overlapping [from, to), and whether it is free to book for all of it.',
        querystring: AvailabilityQuery,
        response: { 200: AvailabilityOut, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const from = new Date(q.from);
      const to = new Date(q.to);
      if (to <= from) throw problems.validation([{ field: 'to', message: 'must be after from' }]);
      if (to.getTime() - from.getTime() > options.maxBookingDays * 86_400_000) throw problems.validation([{ field: 'to', message: `the window spans at most ${options.maxBookingDays} days` }]);
      const { values, p } = params();
      const ctes: string[] = [];
      const where = [`a.status <> 'disposed'`];
      if (q.assetId?.length) where.push(`a.id = ANY(${p(q.assetId)}::uuid[])`);
      if (q.kitId) where.push(`a.id IN (SELECT asset_id FROM fixed_assets_kit_asset WHERE kit_id = ${p(q.kitId)})`);
      if (q.categoryId) {
        ctes.push(subtreeCte('core_category', `${p(q.categoryId)}::uuid`, 'cats'));
        where.push(`a.category_id IN (SELECT id FROM cats)`);
      }
      if (q.locationId) {
        ctes.push(subtreeCte('core_location', `${p(q.locationId)}::uuid`, 'locs'));
        where.push(`a.location_id IN (SELECT id FROM locs)`);
      }
      const assets = await db.execute<{ id: string; tag: string; name: string; status: AssetStatus; total: string }>(
        `${ctes.length ? `WITH RECURSIVE ${ctes.join(', ')} ` : ''}SELECT a.id, a.tag, a.name, a.status, count(*) OVER () AS total FROM fixed_assets_asset a
          WHERE ${where.join(' AND ')} ORDER BY a.tag LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        values,
      );
      const busy = await busyIn(db, assets.map((a) => a.id), from.toISOString(), to.toISOString());
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        data: assets.map((a) => {
          const mine = busy.filter((x) => x.assetId === a.id).map(({ assetId: _assetId, ...x }) => x);
          return { assetId: a.id, tag: a.tag, name: a.name, status: a.status, available: isBookable(a.status) && !mine.length, busy: mine };
        }),
        total: assets.length ? Number(assets[0].total) : 0,
        limit,
        offset,
      };
    },
  );
}

/** Active bookings and open custodies of these assets overlapping [from, to), by start. */
async function busyIn(db: Db, assetIds: string[], from: string, to: string) {
  if (!assetIds.length) return [];
  const rows = await db.execute<Record<string, any>>(
    `SELECT 'booking' AS kind, ba.asset_id, b.id, b.number::text AS number, lower(ba.period) AS starts_at, upper(ba.period) AS ends_at, b.holder_type,
            CASE b.holder_type WHEN 'user' THEN b.holder_user_id WHEN 'person' THEN b.holder_person_id END AS holder_id,
            CASE b.holder_type WHEN 'user' THEN hu.name WHEN 'person' THEN hp.name ELSE b.project END AS holder_label
       FROM fixed_assets_booking_asset ba JOIN fixed_assets_booking b ON b.id = ba.booking_id
       LEFT JOIN core_user hu ON hu.id = b.holder_user_id LEFT JOIN fixed_assets_person hp ON hp.id = b.holder_person_id
      WHERE ba.active AND ba.asset_id = ANY($1::uuid[]) AND ba.period && tstzrange($2::timestamptz, $3::timestamptz, '[)')
     UNION ALL
     SELECT 'custody', c.asset_id, c.id, NULL, c.checked_out_at, c.expected_return_at, c.holder_type,
            CASE c.holder_type WHEN 'user' THEN c.holder_user_id WHEN 'person' THEN c.holder_person_id WHEN 'location' THEN c.holder_location_id END,
            CASE c.holder_type WHEN 'user' THEN hu.name WHEN 'person' THEN hp.name WHEN 'location' THEN hl.name ELSE c.project END
       FROM fixed_assets_custody c
       LEFT JOIN core_user hu ON hu.id = c.holder_user_id LEFT JOIN fixed_assets_person hp ON hp.id = c.holder_person_id LEFT JOIN core_location hl ON hl.id = c.holder_location_id
      WHERE c.checked_in_at IS NULL AND c.asset_id = ANY($1::uuid[])
        AND tstzrange($2::timestamptz, $3::timestamptz, '[)') && (CASE WHEN c.expected_return_at > now() THEN tstzrange(c.checked_out_at, c.expected_return_at, '[)') ELSE tstzrange(c.checked_out_at, now(), '[]') END)
      ORDER BY 5, 3`,
    [assetIds, from, to],
  );
  return rows.map((r) => ({
    assetId: r.asset_id as string,
    kind: r.kind as 'booking' | 'custody',
    id: r.id as string,
    number: r.number as string | null,
    startsAt: isoOf(r.starts_at)!,
    endsAt: isoOf(r.ends_at),
    holder: { type: r.holder_type, id: r.holder_id, label: r.holder_label ?? '' },
  }));
}
