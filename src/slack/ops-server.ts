import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CrmPulseError } from '../lib/errors.ts';
import type { OpsRoute } from './ops-routes.ts';

/** A running ops server. */
export interface OpsServer {
  /** the port it listens on (the one asked for, or the free one picked for port 0) */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the operator routes (`/healthz`, `/metrics`) on their own HTTP server. Socket Mode has no
 * HTTP receiver, so this is how probes and Prometheus reach a Socket Mode bot. Only GET is
 * answered; any other path is 404. Bolt's SocketModeReceiver can serve customRoutes too, but it
 * neither reports a port in use (the 'error' event goes unhandled) nor tells the port picked for 0.
 * @example const ops = await startOpsServer(opsRoutes(services), 3000); await ops.close();
 */
export async function startOpsServer(routes: readonly OpsRoute[], port: number): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found; this port serves ${routes.map((r) => r.path).join(' and ')}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' });
      res.end('only GET\n');
      return;
    }
    void route.handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        new CrmPulseError('config', `[slack] cannot serve ${routes.map((r) => r.path).join(' and ')} on port ${port}: ${error.code ?? error.message}`, {
          hint: 'set PORT to a free port',
          cause: error,
        }),
      );
    server.once('error', failed);
    server.listen(port, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Scrapers keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
