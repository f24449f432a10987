import type { AlertNotification } from '../domain/alert.ts';
import type { SilenceRow } from '../store/silences.ts';
import type { OutboxRow } from '../store/alert-outbox.ts';
import { localTimeText } from '../lib/zoned-time.ts';
import type { Stage } from './stage.ts';

/** How a notification leaves the mute stage: sent now, held until a time, or muted by a silence. */
export interface MuteDecision {
  readonly status: 'pending' | 'held' | 'muted';
  readonly note: string | null;
  readonly notBefore: Date;
}

/** The silence that mutes this notification, if any: every matcher it has must match. */
export function matchingSilence(
  n: Pick<AlertNotification, 'rule' | 'kpi' | 'dimension' | 'severity' | 'episodeId'>,
  silences: readonly SilenceRow[],
): SilenceRow | undefined {
  return silences.find((s) => {
    const m = s.matchers;
    return (
      (m.rule === undefined || m.rule === n.rule) &&
      (m.kpi === undefined || m.kpi === n.kpi) &&
      (m.dimension === undefined || m.dimension === n.dimension?.value) &&
      (m.severity === undefined || m.severity === n.severity) &&
      (m.episode === undefined || m.episode === n.episodeId)
    );
  });
}

/**
 * Silences first (a silenced notification is not sent even after quiet hours), then quiet hours
 * (held, and sent when the window ends). Like Alertmanager, silences mute rather than drop: see
 * releaseMuted for what happens when one ends.
 */
export function muteDecision(
  n: Pick<AlertNotification, 'rule' | 'kpi' | 'dimension' | 'severity' | 'episodeId' | 'timeZone'>,
  silences: readonly SilenceRow[],
  quietUntil: Date | undefined,
  now: Date,
): MuteDecision {
  const time = (d: Date) => `${localTimeText(d, n.timeZone)} ${n.timeZone}`;
  const silence = matchingSilence(n, silences);
  if (silence) {
    const until = silence.untilSync ? 'the next data sync' : silence.endsAt ? time(silence.endsAt) : 'removed';
    const what = silence.matchers.episode !== undefined ? 'snoozed' : `silenced by silence ${silence.id}`;
    return { status: 'muted', note: `${what} until ${until} (${silence.createdBy}: ${silence.reason})`, notBefore: now };
  }
  if (quietUntil) return { status: 'held', note: `held for quiet hours until ${time(quietUntil)}`, notBefore: quietUntil };
  return { status: 'pending', note: null, notBefore: now };
}

/**
 * The mute stage: the silences and quiet hours in force decide, per notice, whether it is sent now,
 * held or muted. The decision does not depend on the channel, so it is made once, before routing.
 */
export const muteStage: Stage = async (batch, { setup }) => ({
  ...batch,
  alerts: batch.alerts.map((a) => (a.notice ? { ...a, mute: muteDecision(a.notice, setup.silences, setup.quiet, setup.now) } : a)),
});

/** A change to a muted row once nothing mutes it any more. */
export interface Release {
  readonly id: number;
  readonly status: 'pending' | 'held' | 'dropped';
  readonly note: string;
  readonly notBefore?: Date;
}

/**
 * What to do with muted notifications whose silence is over. Per episode and channel, only the
 * latest one matters (it carries the current state): it is sent, unless the episode both began
 * and ended while silenced and nobody was ever told, in which case nothing is sent. Earlier ones
 * are dropped as superseded, with the reason kept on the row.
 */
export function releaseMuted(
  rows: readonly (OutboxRow & { episodeEnded: boolean; delivered: boolean })[],
  silences: readonly SilenceRow[],
  quietUntil: Date | undefined,
): Release[] {
  const free = rows.filter((r) => !matchingSilence(JSON.parse(r.payload) as AlertNotification, silences));
  const groups = new Map<string, typeof free>();
  for (const r of free) {
    const key = `${r.episodeId}|${r.channel}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: Release[] = [];
  for (const group of groups.values()) {
    const latest = group.at(-1)!;
    const silentEpisode = latest.episodeEnded && !latest.delivered;
    for (const r of group) {
      if (r !== latest || silentEpisode) {
        out.push({
          id: r.id,
          status: 'dropped',
          note: silentEpisode ? 'the episode began and ended while silenced' : `superseded by notification ${latest.id}`,
        });
      } else if (quietUntil) {
        const tz = (JSON.parse(r.payload) as AlertNotification).timeZone;
        out.push({ id: r.id, status: 'held', note: `silence over; held for quiet hours until ${localTimeText(quietUntil, tz)} ${tz}`, notBefore: quietUntil });
      } else {
        out.push({ id: r.id, status: 'pending', note: 'silence over' });
      }
    }
  }
  return out;
}
