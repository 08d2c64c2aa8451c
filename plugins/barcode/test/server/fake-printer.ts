/**
 * A fake network label printer for tests: a real TCP server (node:net) on a free port of
 * 127.0.0.1 that keeps what each connection sent, and answers `~HS` the way it is told — with a
 * crafted host status, with garbage, or not at all (a printer whose firmware stays silent).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface FakePrinter {
  port: number;
  /** What each finished connection sent, in order. */
  received: string[];
  /** Resolves once `n` connections have finished sending. */
  waitForConnections(n: number): Promise<string[]>;
  close(): Promise<void>;
}

export interface FakePrinterOptions {
  /** What to answer `~HS` with; undefined: never answer. */
  hostStatus?: string;
}

export async function startFakePrinter(options: FakePrinterOptions = {}): Promise<FakePrinter> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  let waiters: { n: number; resolve: (r: string[]) => void }[] = [];
  const settle = () => {
    waiters = waiters.filter((w) => (received.length >= w.n ? (w.resolve([...received]), false) : true));
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    let data = '';
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.endsWith('~HS') && options.hostStatus !== undefined) socket.write(options.hostStatus);
    });
    socket.on('error', () => undefined);
    const done = () => {
      received.push(data);
      settle();
    };
    socket.on('end', () => {
      socket.end();
      done();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    received,
    waitForConnections: (n) =>
      new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the fake printer saw ${received.length} finished connection(s), expected ${n}`)), 5000);
        waiters.push({
          n,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
        settle();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 nothing listens on (it was free a moment ago): connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const STX = '\u0002';
const ETX = '\u0003';
/** A `~HS` answer of these three strings, framed as a Zebra printer frames them. */
export const hostStatusAnswer = (...strings: [string, string, string]) => strings.map((s) => `${STX}${s}${ETX}\r\n`).join('');
