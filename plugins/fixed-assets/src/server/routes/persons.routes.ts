import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { isoOf, likePattern, readerOf, type Db } from '../services/db.js';
import { PersonOut } from './outputs.js';
import { IdParams, Nullable, Page, PageQuery, clean, errorResponses, pageOf } from './schemas.js';

const PersonFields = {
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  employeeNumber: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50 }))),
  department: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};
export const CreatePersonBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), ...PersonFields }, { additionalProperties: false });
export const UpdatePersonBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...PersonFields, active: Type.Optional(Type.Boolean()), version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false, minProperties: 1 },
);

const PERSON_SELECT = `
  SELECT p.*, (SELECT count(*) FROM fixed_assets_custody c WHERE c.holder_person_id = p.id AND c.checked_in_at IS NULL)::int AS holding
    FROM fixed_assets_person p`;

const personView = (r: Record<string, any>) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  employeeNumber: r.employee_number,
  department: r.department,
  notes: r.notes,
  active: r.active,
  holding: Number(r.holding),
  version: r.version,
  createdAt: isoOf(r.created_at)!,
  updatedAt: isoOf(r.updated_at)!,
});
const personById = async (db: Db, id: string) => (await db.execute<Record<string, any>>(`${PERSON_SELECT} WHERE p.id = $1`, [id])).map(personView)[0];

const employeeNumberTaken = (n: string) =>
  problems.conflict('fixed-assets/employee-number-taken', 'Employee number taken', `Another person has the employee number ${n}`, { field: 'employeeNumber' });

/**
 * People who hold or answer for assets without a user account: field crews, contractors, students.
 * Who has what: `GET /custody?holderPersonId=…&open=true`.
 */
export function personRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.get(
    '/persons',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'People who hold assets without a user account',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), active: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(PersonOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const q = req.query.q?.trim();
      const rows = await db.execute<Record<string, any>>(
        `SELECT x.*, count(*) OVER () AS total FROM (${PERSON_SELECT}
           WHERE ($1::text IS NULL OR lower(p.name) LIKE $1 OR lower(coalesce(p.email, '')) LIKE $1 OR lower(coalesce(p.employee_number, '')) LIKE $1)
             AND ($2::boolean IS NULL OR p.active = $2)) x
          ORDER BY lower(x.name), x.id LIMIT $3 OFFSET $4`,
        [q ? likePattern(q.toLowerCase()) : null, req.query.active ?? null, limit, offset],
      );
      return { data: rows.map(personView), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.post(
    '/persons',
    { config: { permission: permissions.custodyWrite }, schema: { summary: 'Add a person', body: CreatePersonBody, response: { 201: PersonOut, ...errorResponses } } },
    async (req, reply) => {
      const b = req.body;
      const name = b.name.trim();
      if (!name) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
      const person = await ctx.transaction(req.actor, async (tx) => {
        const values = [name, clean(b.email), clean(b.phone), clean(b.employeeNumber), clean(b.department), clean(b.notes)];
        const [row] = await tx.execute<{ id: string }>(
          `INSERT INTO fixed_assets_person (name, email, phone, employee_number, department, notes) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (employee_number) WHERE employee_number IS NOT NULL DO NOTHING RETURNING id`,
          values,
        );
        if (!row) throw employeeNumberTaken(values[3]!);
        const created = (await personById(tx, row.id))!;
        await tx.audit({ action: 'created', entityType: 'fixed-assets.person', entityId: row.id, after: created });
        return created;
      });
      return reply.status(201).send(person);
    },
  );

  app.get(
    '/persons/:id',
    { config: { permission: permissions.assetRead }, schema: { summary: 'One person', params: IdParams, response: { 200: PersonOut, ...errorResponses } } },
    async (req) => {
      const person = await personById(db, req.params.id);
      if (!person) throw problems.notFound('person', req.params.id);
      return person;
    },
  );

  app.patch(
    '/persons/:id',
    {
      config: { permission: permissions.custodyWrite },
      schema: {
        summary: 'Change or deactivate a person',
        description: 'A person who still holds assets cannot be deactivated (409 `fixed-assets/person-holds-assets`).',
        params: IdParams,
        body: UpdatePersonBody,
        response: { 200: PersonOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      if (b.name !== undefined && !b.name.trim()) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
      return ctx.transaction(req.actor, async (tx) => {
        const [locked] = await tx.execute<{ id: string }>(`SELECT id FROM fixed_assets_person WHERE id = $1 FOR UPDATE`, [req.params.id]);
        if (!locked) throw problems.notFound('person', req.params.id);
        const before = (await personById(tx, locked.id))!;
        if (b.version !== undefined && b.version !== before.version) {
          throw problems.conflict('stale-version', 'Person changed meanwhile', `You edited version ${b.version}, but the record is at version ${before.version}`, { currentVersion: before.version });
        }
        if (b.active === false && before.active && before.holding > 0) {
          throw problems.conflict('fixed-assets/person-holds-assets', 'Person holds assets', `${before.name} still holds ${before.holding} asset(s); check them in first`, { field: 'active', holding: before.holding });
        }
        const pick = <K extends keyof typeof b>(k: K, current: unknown) => (b[k] !== undefined ? clean(b[k] as string | null) : current);
        const next = {
          name: b.name?.trim() ?? before.name,
          email: pick('email', before.email),
          phone: pick('phone', before.phone),
          employeeNumber: pick('employeeNumber', before.employeeNumber) as string | null,
          department: pick('department', before.department),
          notes: pick('notes', before.notes),
          active: b.active ?? before.active,
        };
        if (next.employeeNumber && next.employeeNumber !== before.employeeNumber) {
          const [other] = await tx.execute(`SELECT 1 FROM fixed_assets_person WHERE employee_number = $1 AND id <> $2`, [next.employeeNumber, before.id]);
          if (other) throw employeeNumberTaken(next.employeeNumber);
        }
        await tx.execute(
          `UPDATE fixed_assets_person SET name = $2, email = $3, phone = $4, employee_number = $5, department = $6, notes = $7, active = $8, version = version + 1, updated_at = now() WHERE id = $1`,
          [before.id, next.name, next.email, next.phone, next.employeeNumber, next.department, next.notes, next.active],
        );
        const after = (await personById(tx, before.id))!;
        await tx.audit({ action: b.active === false && before.active ? 'deactivated' : 'updated', entityType: 'fixed-assets.person', entityId: before.id, before, after });
        return after;
      });
    },
  );
}
