import { localTimeText } from '../lib/zoned-time.ts';
import type { CommandDeps } from './command-deps.ts';
import { digestMessages } from './digest-messages.ts';
import { messages } from './messages.ts';
import { answerReply } from './reply-of.ts';
import { clipText } from '../lib/safe-slice.ts';
import { fitTable } from './reply-limits.ts';
import type { CommandContext, Reply, ReplyBlock } from './reply.ts';

const n = (v: number) => v.toLocaleString('en-US');
const DAY_MS = 86_400_000;

/**
 * `/kpi status`: each source's last sync and lines read, stored and rejected, rejected rows by
 * kind, how fresh the data is against the caller's clock, and alert notifications that failed
 * for good (a Slack error such as channel_not_found shows here, not only in the log).
 */
export async function answerStatus(deps: CommandDeps, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const tz = deps.calendar.timeZone;
  const report = await deps.status();
  const blocks: ReplyBlock[] = [{ kind: 'header', text: m.statusHeader }];
  if (report.leftover.length) {
    const sources = report.leftover
      .map(
        (s) =>
          `${s.key} (${Object.entries(s.records)
            .map(([k, v]) => `${k} ${n(v ?? 0)}`)
            .join(m.comma)})`,
      )
      .join(m.comma);
    blocks.push({ kind: 'text', text: clipText(m.leftoverSources(sources, report.leftover[0]!.key), 3000) });
  }
  if (report.sources.length === 0) {
    blocks.push({ kind: 'text', text: m.noData });
    return answerReply(m.noData, blocks, post, m.locale);
  }
  const rows = report.sources.map((s) => [
    s.key,
    s.units.some((u) => u.status === 'failed') ? `FAILED ${s.lastSyncAt ?? ''}`.trim() : s.lastSyncAt ? localTimeText(new Date(s.lastSyncAt), tz) : '–',
    n(s.lines.read),
    n(s.lines.written),
    n(s.lines.rejected),
  ]);
  blocks.push({ kind: 'table', ...fitTable(m.statusColumns, rows, m.more) });
  const rejects = report.sources
    .filter((s) => s.rejects.total > 0)
    .map((s) =>
      m.rejects(
        s.key,
        n(s.rejects.total),
        Object.entries(s.rejects.byKind)
          .map(([k, v]) => `${k} ${n(v)}`)
          .join(m.comma),
      ),
    );
  const latest = await deps.dataEnd();
  const days = latest === undefined ? undefined : Math.max(0, Math.floor((ctx.now.getTime() - latest.getTime()) / DAY_MS));
  blocks.push({ kind: 'text', text: clipText([...rejects, m.freshness(latest && localTimeText(latest, tz), days)].join('\n'), 3000) });
  const { failed } = (await deps.alerts.overview(ctx.now)).outbox;
  if (failed.length) {
    const lines = failed.slice(0, 10).map((f) => `• #${f.id} ${f.channel} (${f.event}): ${clipText(f.lastError ?? '', 200)}`);
    blocks.push({ kind: 'text', text: clipText([m.failedDeliveries(failed.length), ...lines].join('\n'), 3000) });
  }
  const digests = (await deps.digests.health()).failed;
  if (digests.length) {
    const lines = digests.map((d) => `• ${d.digest} → ${d.recipient} (${d.period}): ${clipText(d.lastError ?? '', 200)}`);
    blocks.push({ kind: 'text', text: clipText([digestMessages(ctx.locale).failedDigests(digests.length), ...lines].join('\n'), 3000) });
  }
  return answerReply(m.statusHeader, blocks, post, m.locale);
}
