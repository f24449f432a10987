// The weekly digest on the bundled Maven CRM pipeline: a manager's digest is computed over exactly
// that manager's agents, checked against Prisma queries over the owners and deals tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { digestReply } from '../../src/answers/digest-reply.ts';
import { replyProblems } from '../helpers/block-kit.ts';
import type { CommandContext, ReplyBlock } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { digestService } from '../../src/digest/digest-service.ts';
import type { Notifier } from '../../src/alerts/notifier.ts';
import type { DigestDelivery } from '../../src/digest/digest.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { teams, type Team } from '../../src/store/team-directory.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

/** A notifier that records what it sent, and fails the way it is told to first. */
function recordingNotifier(failures: Error[] = []): Notifier<DigestDelivery> & { sent: DigestDelivery[] } {
  const sent: DigestDelivery[] = [];
  return {
    name: 'recording',
    sent,
    async deliver(d) {
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push(d);
      return { ref: `${d.target}/${sent.length}` };
    },
  };
}

describe('the weekly digest on the Maven CRM data', () => {
  let db: TestDatabase;
  let app: App;
  let now: Date;
  let all: Team[];
  let team: Team;
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
    now = await app.asOf();
    all = await teams(app.db);
    team = all[0]!;
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('knows the teams of the owners data, each agent in exactly one', async () => {
    const owners = await app.db.prisma.owner.findMany({ where: { manager: { not: null } } });
    expect(all.map((t) => t.manager)).toEqual([...new Set(owners.map((o) => o.manager!))].sort((a, b) => a.localeCompare(b)));
    expect(all.flatMap((t) => t.agents).sort()).toEqual([...new Set(owners.map((o) => o.name))].sort());
    for (const t of all) expect(t.agents).toEqual([...new Set(owners.filter((o) => o.manager === t.manager).map((o) => o.name))].sort());
  });

  it("values a manager's digest over exactly that manager's agents", async () => {
    const digest = await app.digests.preview(team.manager, now);
    expect(digest.scope).toEqual({ kind: 'manager', manager: team.manager, agents: team.agents });
    const start = new Date(digest.period.start);
    const end = new Date(digest.period.end);
    const won = (manager: string | undefined, s: Date, e: Date) =>
      app.db.prisma.deal.aggregate({
        where: { status: 'won', closedAt: { gte: s, lt: e }, ...(manager ? { owner: { manager } } : {}) },
        _sum: { amount: true },
      });
    const closed = (manager: string, status: string) => app.db.prisma.deal.count({ where: { status, closedAt: { gte: start, lt: end }, owner: { manager } } });

    const revenue = digest.kpis.find((k) => k.key === 'won_revenue')!;
    expect(revenue.value).toBeCloseTo((await won(team.manager, start, end))._sum.amount ?? 0, 6);
    const weekBefore = new Date(start.getTime() - 7 * 86_400_000);
    expect(revenue.previous).toBeCloseTo((await won(team.manager, weekBefore, start))._sum.amount ?? 0, 6);
    const [w, l] = [await closed(team.manager, 'won'), await closed(team.manager, 'lost')];
    expect(w + l).toBeGreaterThan(0);
    expect(digest.kpis.find((k) => k.key === 'win_rate')!.value).toBeCloseTo(w / (w + l), 12);

    // The teams partition the company: their won revenue adds up to the company digest's.
    const company = await app.digests.preview(undefined, now);
    let sum = 0;
    for (const t of all) sum += (await app.digests.preview(t.manager, now)).kpis.find((k) => k.key === 'won_revenue')!.value ?? 0;
    expect(sum).toBeCloseTo(company.kpis.find((k) => k.key === 'won_revenue')!.value!, 6);
    expect(company.kpis.find((k) => k.key === 'won_revenue')!.value).toBeCloseTo((await won(undefined, start, end))._sum.amount ?? 0, 6);
  });

  it("sorts KPIs by how unusual the week is, and names a team member as each mover's driver", async () => {
    const digest = await app.digests.preview(team.manager, now);
    const zs = digest.kpis.map((k) => (k.z === null ? -1 : Math.abs(k.z)));
    expect(zs).toEqual([...zs].sort((a, b) => b - a));
    expect(digest.kpis.some((k) => k.z !== null)).toBe(true);
    // A manager digest covers only KPIs that split by manager: no order-line or survey KPIs.
    expect(digest.kpis.map((k) => k.key)).not.toContain('repeat_purchase_rate');
    expect(digest.movers.length).toBeGreaterThan(0);
    for (const key of digest.movers) {
      const k = digest.kpis.find((i) => i.key === key)!;
      expect(k.driver?.dimension).toBe('owner');
      expect(team.agents).toContain(k.driver!.key);
      // The driver pushed the way the KPI moved.
      expect(Math.sign(k.driver!.effect)).toBe(Math.sign(k.change!));
    }
  });

  it('renders one message within Slack limits: KPIs table, movers, alerts, chart, scorecard, freshness', async () => {
    const digest = await app.digests.preview(team.manager, now);
    const reply = digestReply(app, digest, 'en');
    expect(replyProblems(reply)).toEqual([]);
    // The Chinese digest conforms to Block Kit too.
    expect(replyProblems(digestReply(app, digest, 'zh'))).toEqual([]);
    expect(reply.blocks[0]).toEqual({ kind: 'header', text: expect.stringContaining(`${team.manager}'s team`) });
    const kinds = reply.blocks.map((b) => b.kind);
    expect(kinds.filter((k) => k === 'chart')).toHaveLength(1);
    const table = reply.blocks.find((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table')!;
    expect(table.rows.map((r) => r[0])).toEqual(digest.kpis.map((k) => app.kpis.get(k.key).title));
    expect(reply.blocks.at(-1)).toEqual({ kind: 'context', text: expect.stringContaining('latest record 2017-12-31') });
    const zh = digestReply(app, digest, 'zh');
    expect(zh.blocks[0]).toEqual({ kind: 'header', text: expect.stringContaining(`${team.manager} 的团队`) });
  });

  it('says at the top when the data is stale instead of presenting it as current', async () => {
    // A week after the data ends: no record falls in it, and the sources are older than 26 h.
    const later = new Date(Date.now() + 3 * 86_400_000);
    const digest = await app.digests.preview(team.manager, later);
    expect(digest.freshness.stale).toBe(true);
    const reply = digestReply(app, digest, 'en');
    expect(reply.blocks[1]).toEqual({
      kind: 'text',
      text: expect.stringMatching(/^:warning: \*The data may be out of date:\* Maven CRM.* last synced .*no record falls in this week/),
    });
    const fresh = digestReply(app, await app.digests.preview(team.manager, now), 'en');
    expect(fresh.blocks.some((b) => b.kind === 'text' && b.text.includes('out of date'))).toBe(false);
  });

  it('queues one digest per manager and week, once, and sends each exactly once', async () => {
    const routed = all.slice(0, 2);
    const config = {
      digests: [{ name: 'team-weekly', to: 'managers', schedule: '0 8 * * 1' }],
      alerts: { ...app.config.config.alerts, owners: Object.fromEntries(routed.map((t, i) => [t.manager, `U0MGR${i}`])) },
    } as Parameters<typeof digestService>[1];
    const service = digestService(app, config, silentLogger(), {
      policy: { attempts: 3, baseMs: 1000, capMs: 10_000, maxWaitMs: Infinity },
      random: () => 0.75,
    });
    const first = await service.run('team-weekly', now);
    expect(first.queued).toBe(all.length);
    expect(first.unroutable).toEqual(all.slice(2).map((t) => t.manager));
    const again = await service.run('team-weekly', now);
    expect(again).toMatchObject({ queued: 0, already: all.length });

    // The first send hits a rate limit: retried after Retry-After, never lost or doubled.
    const notifier = recordingNotifier([new CrmPulseError('remote', '[slack] chat.postMessage: ratelimited', { retryable: true, retryAfterMs: 30_000 })]);
    const pass1 = await service.deliver(notifier, now);
    expect(pass1).toEqual({ sent: 1, retrying: 1, failed: all.length - 2 });
    const pass2 = await service.deliver(notifier, new Date(now.getTime() + 31_000));
    expect(pass2).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await service.deliver(notifier, new Date(now.getTime() + 3_600_000))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(notifier.sent.map((d) => d.target).sort()).toEqual(['U0MGR0', 'U0MGR1']);
    expect(notifier.sent.map((d) => d.digest.scope)).toContainEqual({ kind: 'manager', manager: routed[0]!.manager, agents: routed[0]!.agents });
    const failed = await app.db.prisma.digestOutbox.findMany({ where: { status: 'failed' }, orderBy: { recipient: 'asc' } });
    expect(failed.map((r) => r.recipient)).toEqual(all.slice(2).map((t) => t.manager));
    expect(failed[0]!.lastError).toBe(
      `[digest] team-weekly: manager '${all[2]!.manager}' has no Slack user\n  fix: add '${all[2]!.manager}: U…' under alerts.owners in the config`,
    );
    // …and /kpi status says so, with the fix.
    const status = await commandService(app).run('status', { userId: 'U0ADMIN', locale: 'en', isAdmin: true, now });
    const text = status.blocks.flatMap((b) => ('text' in b ? [b.text] : [])).join('\n');
    expect(text).toContain(`⚠️ ${all.length - 2} weekly digests failed for good:\n• team-weekly → `);
    for (const t of all.slice(2)) {
      expect(text).toContain(
        `• team-weekly → ${t.manager} (${failed[0]!.period}): [digest] team-weekly: manager '${t.manager}' has no Slack user\n  fix: add '${t.manager}: U…' under alerts.owners in the config`,
      );
    }
  });

  it("answers /kpi digest: preview for the caller only, by manager name or by the caller's own team", async () => {
    const owners = { ...app.config.config.alerts.owners, [team.manager]: 'U0BOSS' };
    const deps = { ...app, config: { ...app.config, config: { ...app.config.config, alerts: { ...app.config.config.alerts, owners } } } };
    const kpi = commandService({ ...deps, digests: digestService(deps, deps.config.config, silentLogger()) });
    const ctx: CommandContext = { userId: 'U0BOSS', locale: 'en', isAdmin: false, now };
    const mine = await kpi.run('digest preview', ctx);
    expect(mine.visibility).toBe('ephemeral');
    expect(mine.text).toContain(`${team.manager}'s team`);
    const other = all[1]!;
    const named = await kpi.run(`digest for ${other.manager}`, ctx);
    expect(named.visibility).toBe('in_channel');
    expect(named.text).toContain(`${other.manager}'s team`);
    const company = await kpi.run('digest preview', { ...ctx, userId: 'U0SOMEONE' });
    expect(company.text).toContain('Weekly digest · company');
    const unknown = await kpi.run('digest preview for Nobody Atall', ctx);
    expect(unknown.kind).toBe('error');
    expect(unknown.text).toContain("no manager 'Nobody Atall'");
    expect(unknown.text).toContain(all[0]!.manager);
  });
});
