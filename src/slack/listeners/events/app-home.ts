import type { App } from '@slack/bolt';
import { slackSurfaceText, type SlackSurfaceText } from '../../../answers/slack-surface-text.ts';
import { renderReply } from '../../blocks/render-reply.ts';
import type { Block } from '../../blocks/check-block-limits.ts';
import { localTimeText } from '../../../lib/zoned-time.ts';
import { commandContext, localeOf, type SlackServices } from '../../slack-context.ts';

/** The App Home tab: the viewer's team KPIs, the open alerts, and the digest. */
export function register(app: App, s: SlackServices): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const view = await homeView(s, event.user, await commandContext(s, client, event.user, undefined));
    await client.views.publish({ user_id: event.user, view: view as never });
  });
}

/** The home view of one user. */
export async function homeView(
  s: SlackServices,
  userId: string,
  ctx: Parameters<SlackServices['commands']['run']>[1],
): Promise<{ type: 'home'; blocks: Block[] }> {
  const t = slackSurfaceText(localeOf(s.config, userId));
  const owner = Object.entries(s.config.alerts.owners).find(([, id]) => id === userId || id === `<@${userId}>`)?.[0];
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: t.homeTitle } }];
  if (owner && s.homeKpi) {
    const team = await s.commands.execute({ name: 'kpi', kpi: s.homeKpi, period: undefined, grain: 'month', by: 'owner', asOf: ctx.now }, ctx, 'App Home');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: t.homeTeam(owner) } });
    blocks.push(...(renderReply(team).blocks ?? []).slice(0, 20));
  } else if (!owner) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: t.homeMapOwner,
        },
      ],
    });
  }
  blocks.push({ type: 'divider' });
  const list = await s.commands.run('list', ctx);
  blocks.push(...(renderReply(list).blocks ?? []).slice(0, 30));
  blocks.push({ type: 'divider' });
  const overview = await s.alerts.overview(ctx.now);
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: t.homeOpenAlerts(overview.open.length) },
  });
  for (const e of overview.open.slice(0, 15)) {
    const emoji = e.currentSeverity === 'critical' ? ':red_circle:' : ':large_orange_circle:';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `${emoji} \`${e.rule}\`${e.seriesKey ? ` · ${e.seriesKey}` : ''} · #${e.id}\n${e.summary}`.slice(0, 3000) },
    });
  }
  blocks.push({ type: 'divider' });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: await nextDigests(s, userId, ctx.now, t) } });
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** The digests the viewer gets (their team's, if they are a manager) and the channel digests, with when each next goes out. */
async function nextDigests(s: SlackServices, userId: string, now: Date, t: SlackSurfaceText): Promise<string> {
  const upcoming = s.digests?.upcoming(now) ?? [];
  const manager = upcoming.some((d) => d.to === 'managers') ? await s.digests?.managerOf(userId) : undefined;
  const lines = upcoming.flatMap((d) => {
    if (d.to === 'managers' && !manager) return [];
    const when = d.next ? `${localTimeText(d.next, d.timeZone)} (${d.timeZone})` : t.digestNotSoon;
    const to = d.to === 'managers' ? t.digestToTeam(manager ?? '') : d.to;
    return [`• \`${d.name}\` → ${to}: ${when}`];
  });
  return [t.digestHeader, ...(lines.length ? lines : [t.noDigest]), t.digestHint].join('\n');
}
