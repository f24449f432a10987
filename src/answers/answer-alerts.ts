import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import { localTimeText } from '../lib/zoned-time.ts';
import type { Command } from './command.ts';
import type { CommandDeps, CommandOptions } from './command-deps.ts';
import { messages } from './messages.ts';
import { channelMention } from './parse-values.ts';
import { silenceProblem } from './silence-rule.ts';
import { answerReply, errorReply } from './reply-of.ts';
import { fitTable, numberCell } from './reply-limits.ts';
import type { CommandContext, Reply, ReplyBlock } from './reply.ts';

/** `/kpi alerts`: open episodes with links to their cards' threads, and the silences in force. */
export async function answerAlerts(deps: CommandDeps, _options: CommandOptions, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const tz = deps.calendar.timeZone;
  const overview = await deps.alerts.overview(ctx.now);
  const title = (kpi: string) => {
    const def = deps.kpis.all.find((k) => k.key === kpi);
    return def ? m.kpiTitle(def) : kpi;
  };
  const value = (kpi: string, v: number | null) => {
    const def = deps.kpis.all.find((k) => k.key === kpi);
    return def ? formatKpiValue(v, def.unit, def.currency) : v === null ? '–' : String(Math.round(v * 1000) / 1000);
  };
  const header = m.alertsHeader(overview.open.length);
  const blocks: ReplyBlock[] = [{ kind: 'header', text: header }];
  if (overview.open.length === 0) blocks.push({ kind: 'text', text: m.noOpenAlerts });
  else {
    const rows = overview.open.map((e) => [
      numberCell(e.id, String(e.id)),
      m.severity(e.currentSeverity),
      title(e.kpi),
      e.seriesKey || '–',
      localTimeText(e.startedAt, tz),
      numberCell(e.lastValue, value(e.kpi, e.lastValue)),
      e.acknowledgedBy ? m.acknowledgedBy(e.acknowledgedBy) : m.no,
    ]);
    blocks.push({ kind: 'table', ...fitTable(m.alertColumns, rows, m.more) });
    const threads = await deps.records.episodeThreads(overview.open.map((e) => e.id));
    // One look-up per card, all at once: Slack's chat.getPermalink allows hundreds a minute.
    const links = await Promise.all(threads.map((t) => ctx.threadLink?.(t.channel, t.ref)));
    const lines = overview.open.flatMap((e) => {
      const where = threads.flatMap((t, i) => {
        if (t.episodeId !== e.id) return [];
        const link = links[i];
        return [link ? `<${link}|${channelMention(t.channel)}>` : channelMention(t.channel)];
      });
      return where.length ? [m.threads(e.id, where.join(m.comma))] : [];
    });
    if (lines.length) blocks.push({ kind: 'text', text: clipLines(lines, m.more) });
  }
  if (overview.silences.length) {
    blocks.push({ kind: 'text', text: `*${m.silencesHeader(overview.silences.length)}*` });
    const rows = overview.silences.map((s) => [
      String(s.id),
      Object.entries(s.matchers)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      s.untilSync ? m.untilNextSync : s.endsAt ? localTimeText(s.endsAt, tz) : '–',
      s.createdBy,
      s.reason,
    ]);
    blocks.push({ kind: 'table', ...fitTable(m.silenceColumns, rows, m.more) });
  }
  blocks.push({ kind: 'context', text: m.alertsHint });
  return answerReply(header, blocks, post, m.locale);
}

/** `/kpi ack <id>`: acknowledges an open episode (the alerts service audits it). */
export async function answerAck(deps: CommandDeps, id: number, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const problem = await episodeProblem(deps, id, ctx);
  if (problem) return problem;
  const e = await deps.alerts.acknowledge(id, ctx.userId, ctx.now);
  const text = m.acked(e.id, `${e.rule}${e.seriesKey ? ` · ${e.seriesKey}` : ''}`);
  return answerReply(text, [{ kind: 'text', text }], post, m.locale);
}

/** `/kpi silence <kpi|id> <duration> [reason]`: a silence on a KPI's alerts, or on one episode (audited). */
export async function answerSilence(deps: CommandDeps, c: Extract<Command, { name: 'silence' }>, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  // The rule the Silence… modal obeys too; checked after the admin check, so a non-admin's long paste is refused, not corrected.
  const invalid = silenceProblem(c.durationMs, c.duration, c.reason);
  if (invalid) return errorReply(m.problem(invalid), ctx);
  if ('episode' in c.target) {
    const problem = await episodeProblem(deps, c.target.episode, ctx);
    if (problem) return problem;
  }
  const until = new Date(ctx.now.getTime() + c.durationMs);
  const matchers = 'episode' in c.target ? await episodeMatchers(deps, c.target, ctx.now) : { kpi: c.target.kpi };
  const s = await deps.alerts.silence(matchers, until, ctx.userId, c.reason ?? m.defaultSilenceReason(ctx.userId), ctx.now);
  const kpi = 'kpi' in c.target ? deps.kpis.get(c.target.kpi) : undefined;
  const what = kpi ? m.silenceKpi(m.kpiTitle(kpi)) : m.silenceEpisode((c.target as { episode: number }).episode);
  const text = m.silenced(what, `${localTimeText(until, deps.calendar.timeZone)} (${c.duration})`, s.id);
  return answerReply(text, [{ kind: 'text', text }], post, m.locale);
}

/** `/kpi snooze <id> <duration|sync>` and the card's Snooze menu: mutes one open episode (audited with the silence). */
export async function answerSnooze(deps: CommandDeps, c: Extract<Command, { name: 'snooze' }>, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const problem = await episodeProblem(deps, c.episode, ctx);
  if (problem) return problem;
  const until = c.until === 'sync' ? 'sync' : new Date(ctx.now.getTime() + c.until.ms);
  await deps.alerts.snooze(c.episode, until, ctx.userId, ctx.now);
  const text = m.snoozed(
    c.episode,
    until === 'sync' ? m.untilNextSync : `${localTimeText(until, deps.calendar.timeZone)} (${(c.until as { text: string }).text})`,
  );
  return answerReply(text, [{ kind: 'text', text }], post, m.locale);
}

/**
 * What a silence of an episode matches: that episode; or, for the card's Silence… modal
 * (`series`), every episode of its rule and dimension value, as the card it was pressed on shows.
 */
async function episodeMatchers(deps: CommandDeps, target: { episode: number; series?: boolean }, now: Date): Promise<Record<string, string | number>> {
  const n = target.series ? (await deps.alerts.card(target.episode, now))?.notification : undefined;
  return n ? { rule: n.rule, ...(n.dimension ? { dimension: n.dimension.value } : {}) } : { episode: target.episode };
}

/** Why an episode cannot be acknowledged or silenced: it does not exist, or it has ended. */
async function episodeProblem(deps: CommandDeps, id: number, ctx: CommandContext): Promise<Reply | undefined> {
  const m = messages(ctx.locale);
  const e = await deps.records.findEpisode(id);
  if (!e) return errorReply(m.noEpisode(id), ctx);
  if (e.endedAt) return errorReply(m.episodeEnded(id, localTimeText(e.endedAt, deps.calendar.timeZone)), ctx);
  return undefined;
}

/** Lines that fit one section, and how many more there were. */
function clipLines(lines: readonly string[], more: (n: number) => string): string {
  const kept: string[] = [];
  let size = 0;
  for (const l of lines) {
    if (size + l.length + 1 > 2900) break;
    kept.push(l);
    size += l.length + 1;
  }
  return [...kept, ...(kept.length < lines.length ? [more(lines.length - kept.length)] : [])].join('\n');
}
