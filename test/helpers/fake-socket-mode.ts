// Slack's Socket Mode side on loopback: a WebSocket server (RFC 6455 by hand on node:http; the
// `ws` package is not installed, and @slack/socket-mode's client is undici's WebSocket) that says
// `hello`, sends envelopes and records the bot's acknowledgements. The fake Slack's
// `apps.connections.open` answers its ws:// URL once `socketMode` is set on it.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** The server, what the bot sent back, and a way to send it an envelope. */
export interface FakeSocketMode {
  /** ws://127.0.0.1:PORT/link, what apps.connections.open answers */
  readonly url: string;
  /** every JSON message the bot sent (acknowledgements: `{ envelope_id, payload? }`) */
  readonly received: Record<string, unknown>[];
  /** WebSocket connections opened so far */
  readonly connections: number;
  /** sends one envelope to every connected bot */
  send(envelope: Record<string, unknown>): void;
  /** resolves once a bot has connected and been sent hello */
  connected(): Promise<void>;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Starts the WebSocket side of Socket Mode on a free loopback port. */
export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const sockets = new Set<Duplex>();
  const received: Record<string, unknown>[] = [];
  let connections = 0;
  let onConnect: (() => void) | undefined;
  const server: Server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket: Duplex) => {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    connections++;
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let frame = readFrame(buffer); frame; frame = readFrame(buffer)) {
        buffer = buffer.subarray(frame.length);
        if (frame.opcode === 1) received.push(JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>);
        else if (frame.opcode === 9) socket.write(encode(10, frame.payload));
        else if (frame.opcode === 8) {
          // Echo the client's status code, as RFC 6455 §5.5.1 asks, then close the TCP side.
          socket.end(encode(8, frame.payload.subarray(0, 2)));
          sockets.delete(socket);
        }
      }
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    socket.write(
      encode(
        1,
        Buffer.from(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            connection_info: { app_id: 'A0APP' },
            debug_info: { host: 'fake', approximate_connection_time: 3600 },
          }),
        ),
      ),
    );
    onConnect?.();
  });
  // Slack pings the client; the client closes a connection that stays silent too long.
  const pinger = setInterval(() => {
    for (const s of sockets) s.write(encode(9, Buffer.from('ping')));
  }, 2_000);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
  return {
    url,
    received,
    get connections() {
      return connections;
    },
    send(envelope) {
      for (const s of sockets) s.write(encode(1, Buffer.from(JSON.stringify(envelope))));
    },
    connected: () => (sockets.size ? Promise.resolve() : new Promise<void>((r) => (onConnect = r))),
    close: async () => {
      clearInterval(pinger);
      // A clean close (1000) rather than a cut, so the client logs no WebSocket error.
      await Promise.all([...sockets].map((s) => new Promise<void>((r) => (s.once('close', () => r()), s.end(encode(8, Buffer.from([0x03, 0xe8])))))));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** One frame from the client (always masked), or undefined while it is incomplete. */
function readFrame(b: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (b.length < 2) return undefined;
  const opcode = b[0]! & 0x0f;
  const masked = (b[1]! & 0x80) !== 0;
  let len = b[1]! & 0x7f;
  let at = 2;
  if (len === 126) {
    if (b.length < 4) return undefined;
    len = b.readUInt16BE(2);
    at = 4;
  } else if (len === 127) {
    if (b.length < 10) return undefined;
    len = Number(b.readBigUInt64BE(2));
    at = 10;
  }
  const mask = masked ? b.subarray(at, at + 4) : undefined;
  if (masked) at += 4;
  if (b.length < at + len) return undefined;
  const payload = Buffer.from(b.subarray(at, at + len));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, length: at + len };
}

/** A final, unmasked server frame. */
function encode(opcode: number, payload: Buffer): Buffer {
  const head = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : payload.length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (payload.length >= 126 && payload.length < 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(payload.length, 2);
  } else if (payload.length >= 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([head, payload]);
}
