// Socket Mode has no HTTP receiver, so /healthz and /metrics get a server of their own on PORT.
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/lib/metrics.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { opsRoutes } from '../../src/slack/ops-routes.ts';
import { startOpsServer, type OpsServer } from '../../src/slack/ops-server.ts';
import type { SlackServices } from '../../src/slack/slack-context.ts';

const servers: OpsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const services = (over: Partial<SlackServices>) => ({ log: silentLogger(), ...over }) as unknown as SlackServices;
const start = async (s: SlackServices, port = 0) => {
  const server = await startOpsServer(opsRoutes(s), port);
  servers.push(server);
  return server;
};

describe('the ops server', () => {
  it('serves /healthz and /metrics, and nothing else', async () => {
    const metrics = createMetrics({
      processMetrics: false,
      snapshot: async () => ({ alertSeries: { firing: 2 }, openEpisodes: { warning: 2 }, outbox: [{ outbox: 'digest', status: 'pending', count: 3 }] }),
    });
    metrics.syncUnitFinished('hubspot', 'succeeded', 120, 4);
    const health = async () => ({ database: 'ok' as const, sources: [{ key: 'hubspot', name: 'HubSpot', lastSuccess: new Date('2024-03-31T01:00:00Z') }] });
    const { port } = await start(services({ metrics, health }));
    const base = `http://127.0.0.1:${port}`;

    const h = await fetch(`${base}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ ok: true, database: 'ok', sources: [{ key: 'hubspot', name: 'HubSpot', lastSuccess: '2024-03-31T01:00:00.000Z' }] });

    const m = await fetch(`${base}/metrics?x=1`);
    expect(m.status).toBe(200);
    const text = await m.text();
    expect(text).toContain('crm_pulse_sync_runs_total{source="hubspot",status="succeeded"} 1\n');
    expect(text).toContain('crm_pulse_sync_rows_total{source="hubspot"} 120\n');
    expect(text).toContain('crm_pulse_sync_rejected_rows_total{source="hubspot"} 4\n');
    expect(text).toContain('crm_pulse_alert_series{state="firing"} 2\n');
    expect(text).toContain('crm_pulse_alert_series{state="ok"} 0\n');
    expect(text).toContain('crm_pulse_alert_episodes_open{severity="warning"} 2\n');
    expect(text).toContain('crm_pulse_outbox_messages{outbox="digest",status="pending"} 3\n');
    expect(text).toContain('crm_pulse_database_up 1\n');

    expect((await fetch(`${base}/slack/events`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST', body: '' })).status).toBe(405);
  });

  it('leaves the database gauges out, and says so, when the database does not answer', async () => {
    let up = true;
    const metrics = createMetrics({
      processMetrics: false,
      snapshot: async () => {
        if (!up) throw new Error('connection refused');
        return { alertSeries: { firing: 1 }, openEpisodes: {}, outbox: [] };
      },
    });
    const { port } = await start(services({ metrics }));
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('crm_pulse_alert_series{state="firing"} 1\n');
    up = false;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toContain('crm_pulse_database_up 0\n');
    expect(text).not.toContain('crm_pulse_alert_series{');
  });

  it('adds process metrics from the first scrape on', async () => {
    const { port } = await start(services({ metrics: createMetrics() }));
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
  });

  it('without metrics serves /healthz only', async () => {
    const { port } = await start(services({}));
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
  });

  it('names the port and the fix when the port is taken', async () => {
    const { port } = await start(services({}));
    await expect(start(services({}), port)).rejects.toThrow(`[slack] cannot serve /healthz on port ${port}: EADDRINUSE\n  fix: set PORT to a free port`);
  });
});
