/**
 * Talking to a network label printer over raw TCP ("port 9100"): open a connection, write the
 * program, close; or write a query (`~HS`) and read the answer. Every step has a time limit, so a
 * printer that is off, unplugged or stalled costs a request seconds, never a hung socket.
 *
 * Raw printing has no acknowledgement: "sent" means the printer accepted the connection and the
 * bytes left for it. Whether paper came out is what the host status (`~HS`) tells.
 */
import { connect, type Socket } from 'node:net';
import type { PrinterFailure } from '../../shared/constants.js';

export interface PrinterEndpoint {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Longest the printer may stall: take no data, or send no answer. */
  timeoutMs: number;
}

/** A printer that could not be used: `reason` is stable, `message` says it for people. */
export class PrinterIoError extends Error {
  constructor(
    readonly reason: PrinterFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PrinterIoError';
  }
}

/** More than this in an answer is not a status answer (a `~HS` answer is under 100 bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;

function failureOf(err: NodeJS.ErrnoException, endpoint: PrinterEndpoint): PrinterIoError {
  const where = `${endpoint.host}:${endpoint.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return new PrinterIoError('refused', `connection refused by ${where} (nothing listens on that port)`);
    case 'ETIMEDOUT':
      return new PrinterIoError('timeout', `connecting to ${where} timed out`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return new PrinterIoError('unreachable', `${where} cannot be reached from the server (${err.code})`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new PrinterIoError('unknown-host', `the host name ${endpoint.host} does not resolve`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new PrinterIoError('reset', `${where} closed the connection abruptly`);
    default:
      return new PrinterIoError('error', `${where}: ${err.message}`);
  }
}

/**
 * A connection with the connect time limit; `ready` runs once connected. Settling is once only: the
 * first of success, failure or timeout wins and the socket is destroyed on failure.
 */
function session<T>(endpoint: PrinterEndpoint, ready: (socket: Socket, done: (value: T) => void, fail: (e: PrinterIoError) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const fail = (e: PrinterIoError) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      socket.destroy();
      reject(e);
    };
    const done = (value: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      resolve(value);
    };
    const connectTimer = setTimeout(
      () => fail(new PrinterIoError('timeout', `${endpoint.host}:${endpoint.port} did not accept a connection within ${endpoint.connectTimeoutMs} ms`)),
      endpoint.connectTimeoutMs,
    );
    socket.on('error', (err) => fail(failureOf(err, endpoint)));
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      socket.setTimeout(endpoint.timeoutMs);
      ready(socket, done, fail);
    });
  });
}

/**
 * Write `program` and close. Resolves once every byte is handed to the network (`finish`); the
 * connection then closes in the background, bounded by the timeout.
 */
export function sendToPrinter(endpoint: PrinterEndpoint, program: string): Promise<{ bytes: number }> {
  const data = Buffer.from(program, 'utf8');
  return session(endpoint, (socket, done, fail) => {
    socket.on('timeout', () => fail(new PrinterIoError('timeout', `${endpoint.host}:${endpoint.port} took no data for ${endpoint.timeoutMs} ms (paused, or its buffer is full)`)));
    // Whatever the printer says on the print port is read and dropped: unread data would turn our close into a reset.
    socket.resume();
    socket.end(data, () => {
      done({ bytes: data.length });
      // The bytes are ours no longer: a late error or stall only bounds how long the socket lingers.
      socket.removeAllListeners('timeout');
      socket.on('error', () => undefined);
      socket.on('timeout', () => socket.destroy());
    });
  });
}

/**
 * Write `query` and read until `complete(received)` says the answer is whole; then close. No
 * answer within the timeout, or a connection closed before the answer is whole: `no-answer`.
 */
export function askPrinter(endpoint: PrinterEndpoint, query: string, complete: (received: string) => boolean): Promise<string> {
  return session<string>(endpoint, (socket, done, fail) => {
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length > MAX_ANSWER_BYTES) fail(new PrinterIoError('error', `${endpoint.host}:${endpoint.port} sent more than ${MAX_ANSWER_BYTES} bytes without a complete answer`));
      else if (complete(received)) {
        done(received);
        socket.end();
        socket.on('error', () => undefined);
        socket.setTimeout(0);
        socket.destroySoon();
      }
    });
    socket.on('timeout', () =>
      fail(new PrinterIoError('no-answer', `${endpoint.host}:${endpoint.port} accepted the connection but sent ${received ? 'an incomplete answer' : 'no answer'} within ${endpoint.timeoutMs} ms`)),
    );
    socket.on('end', () => fail(new PrinterIoError('no-answer', `${endpoint.host}:${endpoint.port} closed the connection ${received ? 'before its answer was complete' : 'without answering'}`)));
    socket.write(query);
  });
}
