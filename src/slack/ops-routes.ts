import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackServices } from './slack-context.ts';

/** A GET endpoint for operators beside the Slack ones: `/healthz` and `/metrics`. */
export interface OpsRoute {
  readonly path: string;
  /** answers a GET; never throws (a failure becomes a 5xx answer) */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * The operator endpoints: `/healthz` always, `/metrics` (Prometheus text format) when the services
 * carry metrics. The HTTP receiver serves them as Bolt custom routes; in Socket Mode a small HTTP
 * server of their own does (ops-server.ts).
 */
export function opsRoutes(s: SlackServices): OpsRoute[] {
  const routes: OpsRoute[] = [
    {
      path: '/healthz',
      async handle(_req, res) {
        const { status, body } = await healthz(s);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      },
    },
  ];
  const { metrics } = s;
  if (metrics) {
    routes.push({
      path: '/metrics',
      async handle(_req, res) {
        try {
          const text = await metrics.scrape();
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        } catch (error) {
          s.log.error({ err: error }, '[metrics] /metrics could not be collected');
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('[metrics] collection failed; see the bot log\n');
        }
      },
    });
  }
  return routes;
}

/** The /healthz answer: 200 while the database answers (and Slack, at start-up), 503 when not. */
async function healthz(s: SlackServices): Promise<{ status: number; body: unknown }> {
  if (!s.health) return { status: 200, body: { ok: true } };
  const report = await s.health().catch((error: unknown) => ({ database: 'unreachable' as const, error: (error as Error).message, sources: [] }));
  const ok = report.database === 'ok' && report.slack !== 'unreachable';
  return { status: ok ? 200 : 503, body: { ok, ...report } };
}
