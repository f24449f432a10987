// A TCP proxy between the app and a real server that a test can cut and restore, to play a
// database outage without stopping the shared server.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A running proxy: its port, and switches to cut and restore the link. */
export interface TcpProxy {
  readonly port: number;
  /** resets every open connection and refuses new ones (each is reset on accept) */
  cut(): void;
  /** accepts and forwards connections again */
  restore(): void;
  /** connections accepted so far, refused ones included */
  readonly accepted: number;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port that forwards to `host:port`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(target);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const cut = () => {
    down = true;
    for (const s of open) s.resetAndDestroy();
    open.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    cut,
    restore() {
      down = false;
    },
    close() {
      cut();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
