/**
 * The least of an MQTT 3.1.1 client a reader needs (OASIS MQTT Version 3.1.1, §3.1 CONNECT, §3.2
 * CONNACK, §3.3 PUBLISH, §3.4 PUBACK, §3.14 DISCONNECT; remaining length §2.2.3): sign in with a
 * user name and password, publish at QoS 1 and wait for the broker's PUBACK. Written here so the
 * tests need no MQTT package of their own.
 */
import net from 'node:net';

function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};

const packet = (first: number, body: Buffer) => Buffer.concat([Buffer.from([first]), remainingLength(body.length), body]);

export interface MqttPublisher {
  publish(topic: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

/** Connects to `url` (mqtt://host:port) as `username`/`password`; rejects when the broker refuses. */
export function connectMqtt(url: string, username: string, password: string): Promise<MqttPublisher> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let buffer = Buffer.alloc(0);
  let onConnack: ((rc: number) => void) | null = null;
  const pendingAcks = new Map<number, () => void>();
  let nextId = 1;

  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      let len = 0;
      let mult = 1;
      let i = 1;
      for (; i < buffer.length; i++) {
        len += (buffer[i] & 0x7f) * mult;
        mult *= 128;
        if ((buffer[i] & 0x80) === 0) break;
      }
      if (i >= buffer.length || buffer.length < i + 1 + len) return;
      const type = buffer[0] >> 4;
      const body = buffer.subarray(i + 1, i + 1 + len);
      buffer = buffer.subarray(i + 1 + len);
      if (type === 2) onConnack?.(body[1]);
      if (type === 4) pendingAcks.get(body.readUInt16BE(0))?.();
    }
  });

  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('connection closed by the broker')));
    socket.once('connect', () => {
      // Connect flags: user name, password, clean session. Keep alive 60 s.
      const variable = Buffer.concat([str('MQTT'), Buffer.from([4, 0xc2, 0, 60])]);
      socket.write(packet(0x10, Buffer.concat([variable, str(`rfid-test-${Math.random().toString(16).slice(2, 10)}`), str(username), str(password)])));
    });
    onConnack = (rc) => {
      if (rc !== 0) {
        socket.destroy();
        reject(new Error(`broker refused the connection (return code ${rc})`));
        return;
      }
      resolve({
        publish(topic, payload) {
          const id = nextId++;
          const idBytes = Buffer.alloc(2);
          idBytes.writeUInt16BE(id);
          return new Promise<void>((ok, fail) => {
            pendingAcks.set(id, () => {
              pendingAcks.delete(id);
              ok();
            });
            socket.once('error', fail);
            // PUBLISH, QoS 1.
            socket.write(packet(0x32, Buffer.concat([str(topic), idBytes, Buffer.from(payload, 'utf8')])));
          });
        },
        close() {
          return new Promise<void>((done) => {
            socket.removeAllListeners('close');
            socket.end(packet(0xe0, Buffer.alloc(0)), () => done());
          });
        },
      });
    };
  });
}
