// The note under an answer only its asker sees, whose chart went to their direct messages, is in
// the reply's own language, which the answer carries: never guessed from the characters of its
// text (an English answer about a KPI with a Chinese name is still English).
import { afterAll, describe, expect, it } from 'vitest';
import type { BreakdownChartInput } from '../../src/charts/chart-input.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { chartBlock } from '../../src/answers/reply-of.ts';
import type { Reply } from '../../src/answers/reply.ts';
import type { Locale } from '../../src/domain/locale.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { memoryRefusal } from '../../src/slack/native-refusal.ts';
import { postReply } from '../../src/slack/post-reply.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import type { SlackServices } from '../../src/slack/slack-context.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const chart: BreakdownChartInput = {
  kind: 'breakdown',
  title: '赢单收入 by region',
  period: '2024-03',
  unit: 'count',
  dimension: 'region',
  items: [{ key: 'West', value: 40 }],
};
const reply = (text: string, locale: Locale): Reply => ({
  text,
  visibility: 'ephemeral',
  kind: 'answer',
  locale,
  blocks: [{ kind: 'header', text }, chartBlock(chart, 'chart')],
});

let slack: FakeSlack | undefined;
afterAll(async () => slack?.close());

async function answered(r: Reply): Promise<string> {
  slack ??= await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-locale', SLACK_API_URL: slack.apiUrl }));
  const services = {
    // png: the chart goes to the DM (with native, a breakdown is drawn in the answer itself).
    config: { slack: { charts: 'png', tables: 'native' } },
    log: silentLogger(),
    chartPng: renderChartPng,
    nativeRefusal: memoryRefusal(),
  } as unknown as SlackServices;
  const said: object[] = [];
  await postReply(services, { client, userId: 'U0ASKER', channelId: 'C0ALERTS', respond: async (m: object) => void said.push(m) }, r);
  return JSON.stringify(said);
}

describe('the language of a reply', () => {
  it('words the direct-message note in the reply’s locale, whatever characters its text holds', async () => {
    expect(await answered(reply('赢单收入 by region, 2024-03: West 40', 'en'))).toContain('chart sent to your direct messages with crm-pulse');
    expect(await answered(reply('Won revenue 按 region', 'zh'))).toContain('图表已发送到你与 crm-pulse 的私信');
  });
});
