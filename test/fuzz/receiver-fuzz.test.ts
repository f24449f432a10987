// The Slack HTTP receiver fuzzed with 5,000 signed bodies of random shapes (issue 13, "go beyond"):
// JSON null, arrays, numbers, strings; block_actions, view_submission, slash commands and events
// with one field deleted or given the wrong type; form and JSON encodings. Seeded, so a failing
// case can be replayed from its index. The bot must answer each with 200 or a 4xx, never crash,
// and still answer a real /kpi at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { eventually, SECRET, startSignedBot, type SignedBot } from '../security/signed-bot.ts';
import { fuzzRng, type Rng } from './fuzz-inputs.ts';

const CASES = 5_000;
const CONCURRENCY = 32;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)]!;

/** A value of a random type, often the wrong one for whatever field receives it. */
function wrongValue(rng: Rng): Json | undefined {
  return pick<() => Json | undefined>(rng, [
    () => undefined,
    () => null,
    () => rng.int(-1e6, 1e6),
    () => rng.next() * 1e308,
    () => true,
    () => '',
    () => 'x'.repeat(rng.int(1, 5000)),
    () => '1.5',
    () => '__proto__',
    () => [],
    () => [null, 1, 'a'],
    () => ({}),
    () => ({ id: null, value: 7 }),
    () => '😀'.repeat(rng.int(1, 300)),
  ])();
}

function blockActions(rng: Rng, responseUrl: string): Record<string, Json> {
  const id = String(rng.int(0, 5));
  const action = pick(rng, [
    { type: 'button', action_id: 'alert_ack', value: id },
    { type: 'button', action_id: 'alert_why', value: pick(rng, ['won_revenue', '{"kpi":"won_revenue","period":"2024-06"}', '{"kpi":null}', '{', '']) },
    { type: 'button', action_id: 'alert_silence', value: id },
    { type: 'static_select', action_id: 'alert_snooze', selected_option: { value: `${id}:${pick(rng, ['1h', '1d', 'sync', 'forever', ''])}` } },
  ]) as unknown as Record<string, Json>;
  return {
    type: 'block_actions',
    user: { id: pick(rng, ['U0ADMIN', 'U0MEMBER']) },
    trigger_id: '1.2.fuzz',
    channel: { id: 'C0ALERTS' },
    message: { ts: '1.1' },
    container: { type: 'message' },
    response_url: responseUrl,
    actions: [{ block_id: 'alert', ...action }],
  };
}

function viewSubmission(rng: Rng): Record<string, Json> {
  return {
    type: 'view_submission',
    user: { id: pick(rng, ['U0ADMIN', 'U0MEMBER']) },
    view: {
      id: 'V0FUZZ',
      callback_id: 'alert_silence_modal',
      private_metadata: pick(rng, ['{"episodeId":1,"channel":"C0ALERTS","ts":""}', '{"episodeId":1.5}', '', 'null', '{"episodeId":"1"}']),
      state: {
        values: {
          duration: { value: { type: 'static_select', selected_option: { value: pick(rng, ['1', '24', '876000', '-1', '1e3', '']) } } },
          reason: { value: { type: 'plain_text_input', value: pick(rng, ['deploy', '', 'x'.repeat(600)]) } },
        },
      },
    },
  };
}

function slashCommand(rng: Rng, responseUrl: string): Record<string, Json> {
  return {
    command: '/kpi',
    text: pick(rng, ['help', 'alerts', 'ack 1', 'snooze 1 1h', 'silence won_revenue 1h fuzz']),
    user_id: pick(rng, ['U0ADMIN', 'U0MEMBER']),
    channel_id: 'C0ALERTS',
    response_url: responseUrl,
    team_id: 'T0TEAM',
    trigger_id: '1.2.fuzz',
  };
}

function event(rng: Rng): Record<string, Json> {
  return {
    type: 'event_callback',
    team_id: 'T0TEAM',
    event: { type: pick(rng, ['app_home_opened', 'message']), user: 'U0MEMBER', tab: pick(rng, ['messages', 'about']) },
  };
}

/** Every path of an object's fields, nested, as keys. */
function paths(v: Json, at: string[] = []): string[][] {
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...paths(x, [...at, k])]);
}

/** `body` with the field at `path` deleted or given `value`. */
function mutate(body: Record<string, Json>, path: string[], value: Json | undefined): Record<string, Json> {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, Json>;
  let node = copy as Record<string, Json>;
  for (const k of path.slice(0, -1)) {
    // An earlier break removed or replaced this branch: nothing left to break here.
    if (typeof node[k] !== 'object' || node[k] === null) return copy;
    node = node[k] as Record<string, Json>;
  }
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

/** The body of case `i`, and its content type. */
function fuzzCase(seed: number, i: number, responseUrl: string): { body: string; contentType: string } {
  const rng = fuzzRng(seed, `receiver-${i}`);
  const shape = rng.next();
  let value: Json;
  if (shape < 0.08) value = pick<Json>(rng, [null, [], [null], 0, -1, 3.14, 'null', '', true, false, [{ type: 'block_actions' }]]);
  else {
    const base = pick(rng, [blockActions, blockActions, viewSubmission, viewSubmission, slashCommand, event] as const)(rng, responseUrl);
    const fields = paths(base);
    // Mostly one field broken; sometimes two; sometimes none, to reach the handlers too.
    const breaks = rng.chance(0.1) ? 0 : rng.chance(0.8) ? 1 : 2;
    value = base;
    for (let k = 0; k < breaks; k++) value = mutate(value as Record<string, Json>, pick(rng, fields), wrongValue(rng));
  }
  const isCommand = typeof value === 'object' && value !== null && !Array.isArray(value) && 'command' in value;
  const encoding = rng.chance(0.5) ? 'form' : 'json';
  if (encoding === 'json') return { body: JSON.stringify(value), contentType: 'application/json' };
  if (isCommand) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(value as Record<string, Json>)) form.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: new URLSearchParams({ payload: JSON.stringify(value) }).toString(), contentType: 'application/x-www-form-urlencoded' };
}

describe('the HTTP receiver under 5,000 signed bodies of random shapes', () => {
  let b: SignedBot;
  beforeAll(async () => {
    b = await startSignedBot();
  });
  afterAll(async () => b?.close());

  it('answers every one with 200 or a 4xx, and still answers /kpi afterwards', async () => {
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < CASES) {
        const i = next++;
        const { body, contentType } = fuzzCase(20261207, i, `${b.slack.url}/response/fuzz-${i}`);
        const res = await sendSigned(b.url, body, { secret: SECRET, contentType });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (!(res.status === 200 || (res.status >= 400 && res.status < 500))) bad.push(`case ${i}: ${res.status} ${body.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(bad).toEqual([]);
    expect([...statuses.values()].reduce((a, c) => a + c, 0)).toBe(CASES);
    // Both kinds of answer occurred: the fuzz reached the handlers and the gate refused shapes.
    expect(statuses.get(200)).toBeGreaterThan(100);
    expect(statuses.get(400)).toBeGreaterThan(1000);
    console.log(`receiver fuzz: ${CASES} bodies, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect((await sendSigned(b.url, commandBody('help', { responseUrl: `${b.slack.url}/response/after-fuzz` }), { secret: SECRET })).status).toBe(200);
    expect(String((await eventually(() => b.slack.responses.find((r) => r.path === '/response/after-fuzz'))).body.text)).toContain('/kpi');
  }, 300_000);
});
