import type { App } from '@slack/bolt';
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
  const zh = localeOf(s.config, userId) === 'zh';
  const owner = Object.entries(s.config.alerts.owners).find(([, id]) => id === userId || id === `<@${userId}>`)?.[0];
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: zh ? 'crm-pulse 概览' : 'crm-pulse at a glance' } }];
  if (owner && s.homeKpi) {
    const team = await s.commands.execute({ name: 'kpi', kpi: s.homeKpi, period: undefined, grain: 'month', by: 'owner', asOf: ctx.now }, ctx, 'App Home');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: zh ? `*你的团队*（CRM 负责人：${owner}）` : `*Your team* (CRM owner: ${owner})` } });
    blocks.push(...(renderReply(team).blocks ?? []).slice(0, 20));
  } else if (!owner) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: zh
            ? '把你的 Slack 用户映射到 CRM 负责人（配置 alerts.owners），这里就会显示你团队的 KPI。'
            : "Map your Slack user to your CRM owner name (alerts.owners in the config) to see your team's KPIs here.",
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
    text: { type: 'mrkdwn', text: zh ? `*未解决的告警（${overview.open.length}）*` : `*Open alerts (${overview.open.length})*` },
  });
  for (const e of overview.open.slice(0, 15)) {
    const emoji = e.currentSeverity === 'critical' ? ':red_circle:' : ':large_orange_circle:';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `${emoji} \`${e.rule}\`${e.seriesKey ? ` · ${e.seriesKey}` : ''} · #${e.id}\n${e.summary}`.slice(0, 3000) },
    });
  }
  blocks.push({ type: 'divider' });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: await nextDigests(s, userId, ctx.now, zh) } });
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** The digests the viewer gets (their team's, if they are a manager) and the channel digests, with when each next goes out. */
async function nextDigests(s: SlackServices, userId: string, now: Date, zh: boolean): Promise<string> {
  const upcoming = s.digests?.upcoming(now) ?? [];
  const manager = upcoming.some((d) => d.to === 'managers') ? await s.digests?.managerOf(userId) : undefined;
  const lines = upcoming.flatMap((d) => {
    if (d.to === 'managers' && !manager) return [];
    const when = d.next ? `${localTimeText(d.next, d.timeZone)} (${d.timeZone})` : zh ? '35 天内不会发送' : 'not within 35 days';
    const to = d.to === 'managers' ? (zh ? `你的团队(${manager})` : `your team (${manager})`) : d.to;
    return [`• \`${d.name}\` → ${to}: ${when}`];
  });
  const header = zh ? '*下一期每周摘要*' : '*Next weekly digest*';
  const hint = zh ? '`/kpi 周报 预览` 现在就给你看你的摘要。' : '`/kpi digest preview` shows you yours now.';
  const none = zh ? '没有配置每周摘要(配置文件中的 digests:)。' : 'No weekly digest is configured (digests: in the config).';
  return [header, ...(lines.length ? lines : [none]), hint].join('\n');
}
