// One workspace mark for every message: a /kpi answer posted in a workspace already marked (by an
// alert card or a digest, or before a restart: the bot keeps the mark in its database) skips the
// native block, and an answer Slack refuses marks the workspace for cards and digests too.
import { afterEach, describe, expect, it } from 'vitest';
import type { BreakdownChartInput } from '../../src/charts/chart-input.ts';
import type { Reply } from '../../src/answers/reply.ts';
import { chartBlock } from '../../src/answers/reply-of.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { memoryRefusal } from '../../src/slack/native-refusal.ts';
import { postReply } from '../../src/slack/post-reply.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { type SlackServices } from '../../src/slack/slack-context.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const chart: BreakdownChartInput = {
  kind: 'breakdown',
  title: 'Won revenue by region',
  period: '2024-03',
  unit: 'count',
  dimension: 'region',
  items: [
    { key: 'West', value: 40 },
    { key: 'East', value: 100 },
  ],
};
const reply: Reply = {
  text: 'Won revenue by region, 2024-03: West 40, East 100',
  visibility: 'in_channel',
  kind: 'answer',
  locale: 'en',
  blocks: [{ kind: 'header', text: 'Won revenue' }, chartBlock(chart, 'Bar chart of won revenue by region')],
};

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
});

async function post(mark: ReturnType<typeof memoryRefusal>) {
  slack ??= await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-shared-mark', SLACK_API_URL: slack.apiUrl }));
  // Only what postReply reads of the services: the chart mode, the log, the PNG renderer and the mark.
  const services = { config: { slack: { charts: 'native' } }, log: silentLogger(), chartPng: renderChartPng, nativeRefusal: mark } as unknown as SlackServices;
  const before = slack.messages.length;
  await postReply(services, { client, userId: 'U0ASKER', channelId: 'C0ALERTS', respond: async () => undefined }, reply);
  const added = slack.messages.slice(before);
  return { answer: added.find((m) => !m.thread_ts)!, files: added.flatMap((m) => m.files ?? []) };
}
const drawn = (m: { blocks?: unknown[] }) => JSON.stringify(m.blocks ?? []).includes('data_visualization');

describe('the workspace mark of native blocks, shared with answers', () => {
  it('an answer in a marked workspace goes without the block, its chart a PNG in the thread', async () => {
    const fresh = await post(memoryRefusal());
    expect(drawn(fresh.answer)).toBe(true);
    expect(fresh.files).toHaveLength(0);
    const marked = memoryRefusal();
    await marked.mark('[slack] chat.update: invalid_blocks');
    const { answer, files } = await post(marked);
    expect(drawn(answer)).toBe(false);
    expect(files).toHaveLength(1);
  });

  it('an answer Slack refuses marks the workspace for cards and digests too', async () => {
    slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
    slack.inject = (method, params) =>
      method === 'chat.postMessage' && JSON.stringify(params.blocks ?? '').includes('data_visualization') ? { error: 'invalid_blocks' } : undefined;
    const mark = memoryRefusal();
    const { answer, files } = await post(mark);
    expect(drawn(answer)).toBe(false);
    expect(files).toHaveLength(1);
    expect(mark.reason()).toMatch(/chat\.postMessage: invalid_blocks/);
  });
});
