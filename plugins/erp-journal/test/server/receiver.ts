/**
 * A small ERP stand-in for the tests: a real HTTP server on 127.0.0.1 that books each POST under its
 * Idempotency-Key, answers 409 for a key it already has, and can be told to answer 503 to the next
 * requests, or to book the next request and then drop the connection without an answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  key: string;
  body: unknown;
  headers: IncomingMessage['headers'];
}

export interface Receiver {
  url: string;
  /** Every request, in order, whatever it was answered. */
  requests: Received[];
  /** Booked documents by idempotency key (each key at most once). */
  booked: Map<string, Received>;
  /** Answer 503 to the next `n` requests (without booking them). */
  failNext(n: number): void;
  /** Book the next `n` requests, then drop their connections without answering. */
  dropAfterBookingNext(n: number): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const booked = new Map<string, Received>();
  let fail = 0;
  let drop = 0;
  let docs = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const r: Received = { key, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'), headers: req.headers };
      requests.push(r);
      if (fail > 0) {
        fail--;
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'maintenance' }));
        return;
      }
      if (!key) {
        res.writeHead(400).end();
        return;
      }
      const existing = booked.get(key);
      if (existing) {
        res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'duplicate', id: (existing as Received & { docId: string }).docId }));
        return;
      }
      const docId = `GL-${++docs}`;
      booked.set(key, Object.assign(r, { docId }));
      if (drop > 0) {
        drop--;
        req.socket.destroy();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: docId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/journal-entries`,
    requests,
    booked,
    failNext: (n) => void (fail = n),
    dropAfterBookingNext: (n) => void (drop = n),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
