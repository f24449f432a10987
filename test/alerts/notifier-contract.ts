// The contract every `Notifier` (src/alerts/notifier.ts) keeps, as suites that each notifier's
// test runs with a driver of its own. For both kinds of message the outbox delivers: a delivery
// retried after a crash, by a new notifier as after a restart, shows nothing twice, and resolves
// where the message already is. For alerts: an episode's first notification shows one card; later
// ones edit that card in place and add a line under it (Slack: its thread; local mode: a record
// that names the card); resolution does the same. For digests: each digest shows as one message
// of its own to its recipient, a user (direct message) or a channel.
import { afterEach, describe, expect, it } from 'vitest';
import type { Notifier } from '../../src/alerts/notifier.ts';
import type { Digest, DigestDelivery } from '../../src/digest/digest.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';

/** One card as a reader sees it: where it is, what it says now, and what was added under it. */
export interface SeenCard {
  /** the card's ref, as `Delivery.ref` gives it */
  readonly ref: string;
  /** what the card shows now (after its last edit) */
  readonly text: string;
  /** the dedup keys of the notifications shown under the card, oldest first */
  readonly thread: readonly string[];
}

/** A notifier under test, and a reader of what it showed. */
export interface NotifierDriver {
  /** A new notifier, as after a restart: it shares only what the real one keeps outside itself. */
  notifier(): Notifier<AlertNotification>;
  /** The cards shown in `channel`, oldest first. */
  seen(channel: string): Promise<readonly SeenCard[]>;
  close(): Promise<void>;
}

const SINCE = '2024-04-01T09:00:00.000Z';

/** Opens the driver of the running test with `start`; it is closed after each test. */
function driverPerTest<D extends { close(): Promise<void> }>(start: () => Promise<D>): () => Promise<D> {
  let driver: D | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });
  return async () => (driver = await start());
}

/** A notification of episode 7 in #alerts; the summary names the event so each state is told apart. */
function note(event: AlertNotification['event'], extra: Partial<AlertNotification> = {}): AlertNotification {
  return {
    dedupKey: `7:${event}::#alerts`,
    episodeId: 7,
    event,
    kind: 'kpi',
    channel: '#alerts',
    rule: 'revenue_drop',
    kpi: 'won_revenue',
    kpiTitle: 'Won revenue',
    dimension: { name: 'region', value: 'West' },
    severity: 'warning',
    period: '2024-03',
    value: '40',
    comparison: 'threshold 100',
    summary: `won revenue ${event} in West`,
    since: SINCE,
    timeZone: 'UTC',
    mentions: [],
    ...extra,
  };
}

/**
 * Runs the Notifier contract against the notifiers `start` makes.
 * @example describeNotifierContract('local', async () => localDriver())
 */
export function describeNotifierContract(name: string, start: () => Promise<NotifierDriver>): void {
  describe(`Notifier contract: ${name}`, () => {
    const open = driverPerTest(start);

    it('shows an episode once: one card, and a retry by a restarted notifier finds it instead of showing it again', async () => {
      const d = await open();
      const firing = note('firing');
      const first = await d.notifier().deliver(firing, undefined);
      expect(first.ref).toEqual(expect.any(String));
      const again = await d.notifier().deliver(firing, undefined);
      expect(again.ref).toBe(first.ref);
      const cards = await d.seen('#alerts');
      expect(cards).toHaveLength(1);
      expect(cards[0]!.ref).toBe(first.ref);
      expect(cards[0]!.text).toContain('won revenue firing in West');
      expect(cards[0]!.thread).toEqual([]);
    });

    it('edits the card in place for a later event and adds one line under it, even when that delivery is retried', async () => {
      const d = await open();
      const { ref } = await d.notifier().deliver(note('firing'), undefined);
      const escalated = note('escalated', { severity: 'critical' });
      expect((await d.notifier().deliver(escalated, ref)).ref).toBe(ref);
      expect((await d.notifier().deliver(escalated, ref)).ref).toBe(ref);
      const cards = await d.seen('#alerts');
      expect(cards).toHaveLength(1);
      expect(cards[0]!.ref).toBe(ref);
      expect(cards[0]!.text).toContain('won revenue escalated in West');
      expect(cards[0]!.thread).toEqual([escalated.dedupKey]);
    });

    it('shows resolution on the same card and says so under it, after the earlier lines', async () => {
      const d = await open();
      const notifier = d.notifier();
      const { ref } = await notifier.deliver(note('firing'), undefined);
      const escalated = note('escalated', { severity: 'critical' });
      const resolved = note('resolved', { severity: 'critical', endedAt: '2024-05-01T09:00:00.000Z' });
      await notifier.deliver(escalated, ref);
      expect((await notifier.deliver(resolved, ref)).ref).toBe(ref);
      const cards = await d.seen('#alerts');
      expect(cards).toHaveLength(1);
      expect(cards[0]!.text).toContain('won revenue resolved in West');
      expect(cards[0]!.text).not.toContain('won revenue escalated in West');
      expect(cards[0]!.thread).toEqual([escalated.dedupKey, resolved.dedupKey]);
    });

    it('keeps episodes apart: a second episode in the channel gets a card of its own', async () => {
      const d = await open();
      const notifier = d.notifier();
      const a = await notifier.deliver(note('firing'), undefined);
      const b = await notifier.deliver(note('firing', { episodeId: 8, dedupKey: '8:firing::#alerts', summary: 'win rate firing in East' }), undefined);
      expect(b.ref).not.toBe(a.ref);
      const cards = await d.seen('#alerts');
      expect(cards.map((c) => c.ref)).toEqual([a.ref, b.ref]);
      expect(cards[1]!.text).toContain('win rate firing in East');
    });
  });
}

/** One message as its recipient sees it. */
export interface SeenMessage {
  /** its ref, as `Delivery.ref` gives it */
  readonly ref: string;
  readonly dedupKey: string;
  /** what it says */
  readonly text: string;
}

/** A digest notifier under test, and a reader of what it showed. */
export interface DigestNotifierDriver {
  /** A new notifier, as after a restart: it shares only what the real one keeps outside itself. */
  notifier(): Notifier<DigestDelivery>;
  /** The messages shown to `target` (a Slack user ID or a channel name, as DigestDelivery.target), oldest first. */
  seen(target: string): Promise<readonly SeenMessage[]>;
  close(): Promise<void>;
}

/** A company digest of one KPI for the ISO week `week` of 2024, built on the Monday after it. */
export function contractDigest(week: number): Digest {
  const start = new Date(Date.UTC(2024, 0, 1 + (week - 1) * 7));
  const end = new Date(start.getTime() + 7 * 86_400_000);
  const label = `2024-W${String(week).padStart(2, '0')}`;
  return {
    name: 'weekly',
    scope: { kind: 'company' },
    period: { label, start: start.toISOString(), end: end.toISOString() },
    previousLabel: `2024-W${String(week - 1).padStart(2, '0')}`,
    builtAt: new Date(end.getTime() + 8 * 3_600_000).toISOString(),
    kpis: [{ key: 'won_revenue', unit: 'currency', value: 120 + week, previous: 100, change: 20 + week, z: null, points: [] }],
    movers: [],
    alerts: [],
    scorecard: null,
    freshness: { sources: [], latestRecord: end.toISOString(), stale: false },
  };
}

/** A digest queued for `target` for the ISO week `week`, with the dedup key the digest service gives it. */
function queued(target: string, week: number): DigestDelivery {
  const digest = contractDigest(week);
  return { dedupKey: `weekly|${target}|${digest.period.label}`, target, digest };
}

/**
 * Runs the Notifier contract for digests against the notifiers `start` makes.
 * @example describeDigestNotifierContract('Slack', async () => slackDriver())
 */
export function describeDigestNotifierContract(name: string, start: () => Promise<DigestNotifierDriver>): void {
  describe(`Notifier contract, digests: ${name}`, () => {
    const open = driverPerTest(start);

    it('shows a digest once, and a retry by a restarted notifier finds it instead of showing it again', async () => {
      const d = await open();
      const digest = queued('#digests', 10);
      const first = await d.notifier().deliver(digest);
      expect(first.ref).toEqual(expect.any(String));
      const again = await d.notifier().deliver(digest);
      expect(again.ref).toBe(first.ref);
      const seen = await d.seen('#digests');
      expect(seen.map((m) => [m.ref, m.dedupKey])).toEqual([[first.ref, digest.dedupKey]]);
      expect(seen[0]!.text).toContain('2024-W10');
    });

    it("keeps digests apart: the next week's digest to the same recipient is a message of its own", async () => {
      const d = await open();
      const notifier = d.notifier();
      const a = await notifier.deliver(queued('#digests', 10));
      const b = await notifier.deliver(queued('#digests', 11));
      expect(b.ref).not.toBe(a.ref);
      const seen = await d.seen('#digests');
      expect(seen.map((m) => m.ref)).toEqual([a.ref, b.ref]);
      expect(seen.map((m) => m.dedupKey)).toEqual(['weekly|#digests|2024-W10', 'weekly|#digests|2024-W11']);
    });

    it("sends a manager's digest to the manager's user and a channel's to the channel, each only there", async () => {
      const d = await open();
      const notifier = d.notifier();
      const toUser = await notifier.deliver(queued('U0MANAGER', 10));
      const toChannel = await notifier.deliver(queued('#digests', 10));
      expect((await d.seen('U0MANAGER')).map((m) => [m.ref, m.dedupKey])).toEqual([[toUser.ref, 'weekly|U0MANAGER|2024-W10']]);
      expect((await d.seen('#digests')).map((m) => [m.ref, m.dedupKey])).toEqual([[toChannel.ref, 'weekly|#digests|2024-W10']]);
    });
  });
}
