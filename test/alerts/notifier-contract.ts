// The contract every `Notifier` (src/alerts/notifier.ts) keeps, as one suite that each notifier's
// test runs with a driver of its own: an episode's first notification shows one card; later ones
// edit that card in place and add a line under it (Slack: its thread; local mode: a record that
// names the card); resolution does the same; and a delivery retried after a crash, by a new
// notifier as after a restart, shows nothing twice.
import { afterEach, describe, expect, it } from 'vitest';
import type { Notifier } from '../../src/alerts/notifier.ts';
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
  notifier(): Notifier;
  /** The cards shown in `channel`, oldest first. */
  seen(channel: string): Promise<readonly SeenCard[]>;
  close(): Promise<void>;
}

const SINCE = '2024-04-01T09:00:00.000Z';

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
    let driver: NotifierDriver | undefined;
    afterEach(async () => {
      await driver?.close();
      driver = undefined;
    });
    const open = async () => (driver = await start());

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
