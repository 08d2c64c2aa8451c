/**
 * Raw NMEA over TCP. A tracker opens a socket and sends, as its first line, `KEY <device key>`
 * (most trackers can be given an identification or login line); every following line is one
 * NMEA sentence, handed to the core's ingestion with transport `tcp`, in order.
 *
 * - A bad key, a disabled device, a device whose adapter does not take TCP, a first line that is
 *   not `KEY …`, no login within the login timeout, or a line longer than the limit: the server
 *   answers one `ERR <reason>` line and closes the connection.
 * - A line the adapter cannot read (bad checksum) is refused and counted by the core; the
 *   connection stays open.
 * - Back-pressure: while the ingestion queue is full (503) the socket is paused — TCP's own flow
 *   control then holds the tracker back — and the same line is offered again after the delay the
 *   queue asks for. Nothing accepted on the socket is dropped.
 */
import net, { type AddressInfo } from 'node:net';
import { ProblemError, type DeviceIngestionService } from '@quartermaster/sdk';
import type { FastifyBaseLogger } from 'fastify';
import type { GpsOptions } from '../options.js';

export interface NmeaTcpListener {
  address(): { host: string; port: number };
  connections(): number;
  close(): Promise<void>;
}

/** Lines read ahead of the worker before the socket is paused. */
const READ_AHEAD_LINES = 64;

export async function startNmeaTcp(options: GpsOptions['nmeaTcp'], ingestion: DeviceIngestionService, log: FastifyBaseLogger): Promise<NmeaTcpListener> {
  const sockets = new Set<net.Socket>();
  let stopping = false;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // resets by the peer are normal for trackers
    socket.setEncoding('latin1'); // NMEA is ASCII; latin1 never splits a byte sequence between chunks
    socket.setNoDelay(true);
    const source = `tcp:${socket.remoteAddress ?? '?'}`;
    let key: string | null = null;
    let authenticated = false;
    let buffer = '';
    const pending: string[] = [];
    let working = false;
    let closed = false;
    let waitingForQueue = false;

    const refuse = (reason: string) => {
      if (closed) return;
      closed = true;
      pending.length = 0;
      clearTimeout(loginTimer);
      socket.end(`ERR ${reason}\r\n`);
      // A peer that never closes its side is cut off.
      setTimeout(() => socket.destroy(), 2000).unref();
    };
    const loginTimer = setTimeout(() => refuse(`no "KEY <device key>" line within ${options.loginTimeoutSeconds} s`), options.loginTimeoutSeconds * 1000);
    loginTimer.unref();
    if (options.idleTimeoutSeconds > 0) socket.setTimeout(options.idleTimeoutSeconds * 1000, () => refuse(`nothing received for ${options.idleTimeoutSeconds} s`));
    socket.on('close', () => {
      closed = true;
      clearTimeout(loginTimer);
    });

    /** Offer one payload until the queue takes it; false when the connection must end. */
    async function offer(line: string): Promise<boolean> {
      for (;;) {
        if (closed || stopping) return false;
        try {
          await ingestion.ingest({ key: key ?? undefined, transport: 'tcp', body: line, text: line, source });
          if (waitingForQueue) {
            waitingForQueue = false;
            if (pending.length < READ_AHEAD_LINES) socket.resume();
          }
          return true;
        } catch (err) {
          if (!(err instanceof ProblemError)) {
            log.error({ err, source }, 'an NMEA line could not be ingested');
            return true;
          }
          if (err.status === 503) {
            // Queue full: stop reading, wait as long as the queue asks, then offer the same line again.
            waitingForQueue = true;
            socket.pause();
            const seconds = typeof err.extensions.retryAfterSeconds === 'number' ? err.extensions.retryAfterSeconds : 1;
            await new Promise((r) => setTimeout(r, Math.min(60, Math.max(0.05, seconds)) * 1000).unref());
            continue;
          }
          if (err.status === 422 && authenticated) return true; // a bad sentence: refused and counted by the core
          refuse(err.detail ?? err.title);
          return false;
        }
      }
    }

    async function work() {
      if (working) return;
      working = true;
      try {
        while (pending.length && !closed) {
          const line = pending.shift()!;
          if (key === null) {
            const login = /^KEY\s+(\S+)$/i.exec(line);
            if (!login) {
              refuse('the first line must be "KEY <device key>"');
              return;
            }
            key = login[1];
            // An empty payload authenticates the key and checks the device's adapter takes TCP.
            if (!(await offer(''))) return;
            authenticated = true;
            clearTimeout(loginTimer);
            continue;
          }
          if (!(await offer(line))) return;
          if (!waitingForQueue && socket.isPaused() && pending.length < READ_AHEAD_LINES / 2) socket.resume();
        }
      } finally {
        working = false;
      }
    }

    socket.on('data', (chunk: string) => {
      if (closed) return;
      buffer += chunk;
      const lines = buffer.split(/\r\n|\n|\r/);
      buffer = lines.pop() ?? '';
      if (buffer.length > options.maxLineLength || lines.some((l) => l.length > options.maxLineLength)) {
        refuse(`line longer than ${options.maxLineLength} characters`);
        return;
      }
      for (const l of lines) {
        const line = l.trim();
        if (line !== '') pending.push(line);
      }
      if (pending.length >= READ_AHEAD_LINES) socket.pause();
      void work();
    });
  });

  server.maxConnections = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'NMEA TCP listener error'));
  const addr = server.address() as AddressInfo;
  log.info({ host: options.host, port: addr.port }, 'NMEA TCP listener ready');

  return {
    address: () => ({ host: options.host, port: addr.port }),
    connections: () => sockets.size,
    async close() {
      stopping = true;
      const closing = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closing;
    },
  };
}
