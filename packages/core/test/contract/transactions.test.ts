import { afterAll, beforeAll, expect, test } from 'vitest';
import { Type } from '@sinclair/typebox';
import { defineEvent, definePlugin } from '@quartermaster/sdk';
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
