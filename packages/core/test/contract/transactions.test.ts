import { afterAll, beforeAll, expect, test } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createServiceRef, defineEvent, definePlugin, type Transaction } from '@quartermaster/sdk';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';

const NoteAdded = defineEvent('notes.note.added', Type.Object({ text: Type.String() }));
const runs = { count: 0 };

/** Simulates the database aborting a transaction (deadlock victim) a given number of times. */
const notes = definePlugin({
  id: 'notes',
  version: '1.0.0',
  compatibility: '^0.1.0',
  permissions: [{ id: 'notes.notes.write', description: 'Add notes' }],
  events: { emits: [NoteAdded] },
  migrations: [{ name: '0001', up: async (db) => void (await db.execute(`CREATE TABLE notes_note (id serial PRIMARY KEY, text text NOT NULL)`)) }],
  routes(app, ctx) {
    app.post('/notes', {
      config: { permission: 'notes.notes.write' },
      schema: { body: Type.Object({ text: Type.String(), abortTimes: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }) },
    }, async (req, reply) => {
      let aborts = req.body.abortTimes;
      await ctx.transaction(req.actor, async (tx) => {
        runs.count++;
        await tx.execute(`INSERT INTO notes_note (text) VALUES ($1)`, [req.body.text]);
        await tx.audit({ action: 'added', entityType: 'notes.note', entityId: req.body.text });
        await tx.emit(NoteAdded, { text: req.body.text });
        if (aborts-- > 0) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      });
      return reply.status(201).send({ ok: true });
    });
  },
});

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform({ plugins: [notes] });
});
afterAll(() => t?.close());

test('a transaction aborted by a deadlock is run again and commits once', async () => {
  runs.count = 0;
  t.events.length = 0;
  const res = await t.request({ method: 'POST', url: '/api/notes/notes', payload: { text: 'retried', abortTimes: 2 } });
  expect(res.statusCode).toBe(201);
  expect(runs.count).toBe(3);
  expect(await t.sql(`SELECT text FROM notes_note WHERE text = 'retried'`)).toHaveLength(1);
  expect(await t.sql(`SELECT 1 FROM core_audit WHERE entity_id = 'retried'`)).toHaveLength(1);
  expect(t.events.filter((e) => e.name === 'notes.note.added').map((e) => e.payload)).toEqual([{ text: 'retried' }]);
});

test('when retries run out the caller gets 503 busy with Retry-After, and nothing is written', async () => {
  runs.count = 0;
  const res = await t.request({ method: 'POST', url: '/api/notes/notes', payload: { text: 'unlucky', abortTimes: 99 } });
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.json()).toMatchObject({ type: 'https://quartermaster.dev/problems/busy' });
  expect(runs.count).toBe(3);
  expect(await t.sql(`SELECT 1 FROM notes_note WHERE text = 'unlucky'`)).toHaveLength(0);
  expect(await t.sql(`SELECT 1 FROM core_outbox WHERE payload->>'text' = 'unlucky'`)).toHaveLength(0);
});

// A service of one plugin doing its part inside another plugin's transaction (ctx.joinTransaction).
const PinAdded = defineEvent('pins.pin.added', Type.Object({ text: Type.String() }));
const JNoteAdded = defineEvent('jnotes.note.added', Type.Object({ text: Type.String() }));
const noteService = createServiceRef<{ addNote(tx: Transaction, text: string): Promise<void>; misbehave(tx: Transaction): Promise<void> }>('notes.notes');
const notesWithService = definePlugin({
  id: 'jnotes',
  version: '1.0.0',
  compatibility: '^0.1.0',
  events: { emits: [JNoteAdded] },
  migrations: [{ name: '0001', up: async (db) => void (await db.execute(`CREATE TABLE jnotes_note (id serial PRIMARY KEY, text text NOT NULL)`)) }],
  register(ctx) {
    ctx.provide(noteService, (c) => ({
      addNote: (tx, text) =>
        c.joinTransaction(tx, async (own) => {
          await own.execute(`INSERT INTO jnotes_note (text) VALUES ($1)`, [text]);
          await own.audit({ action: 'added', entityType: 'jnotes.note', entityId: text });
          await own.emit(JNoteAdded, { text });
        }),
      // Emitting the caller's event from the joined part is the caller's business, not this plugin's.
      misbehave: (tx) => c.joinTransaction(tx, (own) => own.emit(PinAdded, { text: 'not mine' })),
    }));
  },
});
const pins = definePlugin({
  id: 'pins',
  version: '1.0.0',
  compatibility: '^0.1.0',
  dependsOn: { jnotes: '^1.0.0' },
  permissions: [{ id: 'pins.pins.write', description: 'Add pins' }],
  events: { emits: [PinAdded] },
  migrations: [{ name: '0001', up: async (db) => void (await db.execute(`CREATE TABLE pins_pin (id serial PRIMARY KEY, text text NOT NULL)`)) }],
  routes(app, ctx) {
    app.post('/pins', {
      config: { permission: 'pins.pins.write' },
      schema: { body: Type.Object({ text: Type.String(), fail: Type.Optional(Type.Boolean()), misbehave: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) },
    }, async (req, reply) => {
      const notesSvc = ctx.services.get(noteService);
      await ctx.transaction(req.actor, async (tx) => {
        await tx.execute(`INSERT INTO pins_pin (text) VALUES ($1)`, [req.body.text]);
        await tx.audit({ action: 'added', entityType: 'pins.pin', entityId: req.body.text });
        await tx.emit(PinAdded, { text: req.body.text });
        await notesSvc.addNote(tx, `note for ${req.body.text}`);
        if (req.body.misbehave) await notesSvc.misbehave(tx);
        if (req.body.fail) throw new Error('the pin could not be placed');
      });
      return reply.status(201).send({ ok: true });
    });
  },
});

test("a service's part in another plugin's transaction commits with it under its own plugin id, and rolls back with it", async () => {
  const j = await createTestPlatform({ plugins: [notesWithService, pins] });
  try {
    const ok = await j.request({ method: 'POST', url: '/api/pins/pins', payload: { text: 'p1' } });
    expect(ok.statusCode).toBe(201);
    expect(await j.sql(`SELECT text FROM jnotes_note`)).toEqual([{ text: 'note for p1' }]);
    expect(await j.sql(`SELECT plugin_id, entity_id FROM core_audit WHERE entity_type IN ('pins.pin', 'jnotes.note') ORDER BY id`)).toEqual([
      { plugin_id: 'pins', entity_id: 'p1' },
      { plugin_id: 'jnotes', entity_id: 'note for p1' },
    ]);
    expect(await j.sql(`SELECT name, source FROM core_outbox WHERE name IN ('pins.pin.added', 'jnotes.note.added') ORDER BY id`)).toEqual([
      { name: 'pins.pin.added', source: 'pins' },
      { name: 'jnotes.note.added', source: 'jnotes' },
    ]);

    // The caller fails after the service did its part: neither part is written.
    const failed = await j.request({ method: 'POST', url: '/api/pins/pins', payload: { text: 'p2', fail: true } });
    expect(failed.statusCode).toBe(500);
    // A joined part may only emit what its own plugin declares.
    const refused = await j.request({ method: 'POST', url: '/api/pins/pins', payload: { text: 'p3', misbehave: true } });
    expect(refused.statusCode).toBe(500);
    expect(await j.sql(`SELECT text FROM jnotes_note ORDER BY id`)).toEqual([{ text: 'note for p1' }]);
    expect(await j.sql(`SELECT text FROM pins_pin ORDER BY id`)).toEqual([{ text: 'p1' }]);
    expect(await j.sql(`SELECT 1 FROM core_outbox WHERE payload->>'text' IN ('p2', 'p3', 'note for p2', 'note for p3')`)).toHaveLength(0);
  } finally {
    await j.close();
  }
});
