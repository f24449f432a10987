// The Notifier contract (./notifier-contract.ts) run against the notifiers: for alerts, Slack's,
// through production's Web API client factory against the fake Slack (which checks every message
// against the Block Kit schema), and local mode's, through its JSON-lines file and what it prints;
// for digests, Slack's (local mode sends no digests).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../../src/config/env.ts';
import { localNotifier } from '../../src/local/local-notifier.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackDigestNotifier } from '../../src/slack/slack-digest-notifier.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import { startFakeSlack } from '../helpers/fake-slack.ts';
import { describeDigestNotifierContract, describeNotifierContract, type SeenCard, type SeenMessage } from './notifier-contract.ts';

describeNotifierContract('Slack', async () => {
  const slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
  const ids: Record<string, string> = { '#alerts': 'C0ALERTS' };
  const keyOf = (m: { metadata?: { event_payload: Record<string, unknown> } }) => String(m.metadata?.event_payload.dedup_key);
  return {
    notifier: () =>
      slackNotifier({ client: createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-contract', SLACK_API_URL: slack.apiUrl })), locale: 'en', perChannelMs: 0 }),
    async seen(channel): Promise<readonly SeenCard[]> {
      const id = ids[channel]!;
      const inChannel = slack.messages.filter((m) => m.channel === id);
      return inChannel
        .filter((m) => !m.thread_ts)
        .map((card) => ({ ref: `${id}/${card.ts}`, text: card.text ?? '', thread: inChannel.filter((m) => m.thread_ts === card.ts).map(keyOf) }));
    },
    close: () => slack.close(),
  };
});

describeNotifierContract('local', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-notifier-'));
  const file = join(dir, 'notifications.jsonl');
  // Each delivery appends one record and prints once, in the same order: print i shows record i.
  const printed: string[] = [];
  return {
    notifier: () => localNotifier(file, (text) => printed.push(text)),
    async seen(channel): Promise<readonly SeenCard[]> {
      const records = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line, i) => ({ ...(JSON.parse(line) as { dedupKey: string; channel: string; episodeId: number; thread: string | null }), shown: printed[i]! }));
      const cards = records.filter((r) => r.channel === channel && r.thread === null);
      return cards.map((card) => {
        const ref = `${file}#${card.episodeId}`;
        const under = records.filter((r) => r.thread === ref);
        return { ref, text: (under.at(-1) ?? card).shown, thread: under.map((r) => r.dedupKey) };
      });
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeDigestNotifierContract('Slack', async () => {
  const slack = await startFakeSlack({ channels: { digests: 'C0DIGESTS' } });
  // The fake opens a user's DM as D + the user's ID.
  const conversation = (target: string) => (target.startsWith('#') ? 'C0DIGESTS' : `D${target}`);
  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-contract', SLACK_API_URL: slack.apiUrl }));
  return {
    notifier: () =>
      slackDigestNotifier({
        client,
        chartPng: async () => Buffer.alloc(0),
        // The digest's words are digestReply's (test/digest); the contract is about where and how often it shows.
        render: async (d) => ({
          text: `digest ${d.period.label}`,
          blocks: [{ kind: 'header', text: `Weekly digest ${d.period.label}` }],
          visibility: 'in_channel',
          kind: 'answer',
          locale: 'en',
        }),
      }),
    async seen(target): Promise<readonly SeenMessage[]> {
      const id = conversation(target);
      return slack.messages
        .filter((m) => m.channel === id && !m.thread_ts)
        .map((m) => ({ ref: `${id}/${m.ts}`, dedupKey: String(m.metadata?.event_payload.dedup_key), text: m.text ?? '' }));
    },
    close: () => slack.close(),
  };
});
