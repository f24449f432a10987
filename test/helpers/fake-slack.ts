// A fake Slack Web API on loopback: records messages, edits, uploads, ephemeral answers and views,
// and can answer with the failures Slack gives (429 with Retry-After, 500, platform errors such as
// invalid_blocks or channel_not_found, timeouts). Point SLACK_API_URL (or WebClient's slackApiUrl)
// at `url + '/api/'`. The per-channel rate limit reads an injectable clock, so a load test can run
// Slack's one-message-a-second pacing on virtual time.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageProblems, viewProblems } from './block-kit.ts';

/** A message as the fake stores it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: { color?: string; blocks?: unknown[] }[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  files?: { id: string; title?: string; bytes: number }[];
  edits: number;
}

/** A failure to answer with. */
export interface FakeFailure {
  /** a Slack error code (HTTP 200, ok: false), e.g. channel_not_found */
  error?: string;
  /** an HTTP status, e.g. 500 or 429 */
  status?: number;
  /** seconds, with status 429 */
  retryAfter?: number;
  /** how many calls fail; default 1 */
  times?: number;
  /**
   * no answer at all, so the client times out: 'request' drops the call unseen, 'response' does
   * what it asked (a message is posted) and loses the answer, as a network cut after Slack acted does
   */
  timeout?: 'request' | 'response';
  /**
   * does what it asked, then closes the connection without an answer: the client sees a network
   * error at once (not a timeout), as when a proxy or NAT drops the connection after Slack acted
   */
  cut?: boolean;
}

/** A 429 the fake answered: when (on its clock), to which channel, and how long it asked to wait. */
export interface FakeRateLimit {
  readonly at: number;
  readonly method: string;
  readonly channel: string | undefined;
  readonly retryAfterS: number;
  /** true when the per-channel rate limit (enforceRate) answered it, false when injected */
  readonly enforced: boolean;
}

/** The fake server, its records and its knobs. */
export interface FakeSlack {
  readonly url: string;
  /** base URL for WebClient's slackApiUrl / SLACK_API_URL */
  readonly apiUrl: string;
  readonly messages: FakeMessage[];
  readonly responses: { path: string; body: Record<string, unknown> }[];
  readonly views: { method: string; body: Record<string, unknown> }[];
  readonly calls: { method: string; body: Record<string, unknown>; authorization: string | undefined }[];
  readonly channels: Map<string, string>;
  /** the next calls of `method` fail this way */
  fail(method: string, failure: FakeFailure): void;
  /** reject posts to one channel faster than one a second, with 429 and Retry-After: 1 */
  enforceRate: boolean;
  /** asked before every API call, after the `fail` queue, and before every response_url answer (method 'response_url'; only `error` applies): a failure to answer this call with, if any */
  inject: ((method: string, params: Record<string, unknown>) => FakeFailure | undefined) | undefined;
  /** every 429 answered, injected or enforced */
  readonly rateLimits: FakeRateLimit[];
  /** calls made on each response_url path, refused ones included */
  readonly responseUses: Map<string, number>;
  /** a response_url path each time it was called past its 5 uses (answered 404 used_url) */
  readonly spentResponses: string[];
  /** response_url paths (e.g. /response/slow-1) that accept the request and never answer */
  readonly hangResponses: Set<string>;
  /** accepted chat.postMessage calls: the fake's clock when each arrived, by channel ID */
  readonly posts: { at: number; channel: string }[];
  /**
   * every message or view body that broke the published Block Kit schema or its rules (answered,
   * as Slack answers it, with invalid_blocks); close() fails while this is not empty, so every
   * end-to-end test enforces conformance
   */
  readonly nonConforming: { method: string; problems: string[] }[];
  /** the WebSocket URL apps.connections.open answers (see fake-socket-mode.ts); unset: unknown_method */
  socketModeUrl: string | undefined;
  /** the test sends bad Block Kit on purpose: close() does not fail on it */
  allowNonConforming: boolean;
  /** ends every call left hanging by cutting its connection: the client sees a network error */
  dropHanging(): void;
  close(): Promise<void>;
}

/** Starts a fake Slack on a free loopback port. Channels: #crm-alerts → C0ALERTS, #leads → C0LEADS. */
export async function startFakeSlack(options: { channels?: Record<string, string>; clock?: () => number } = {}): Promise<FakeSlack> {
  const now = options.clock ?? Date.now;
  const rateLimits: FakeRateLimit[] = [];
  const posts: FakeSlack['posts'] = [];
  const hanging = new Set<ServerResponse>();
  const messages: FakeMessage[] = [];
  const responses: FakeSlack['responses'] = [];
  const views: FakeSlack['views'] = [];
  const calls: FakeSlack['calls'] = [];
  const nonConforming: FakeSlack['nonConforming'] = [];
  // Slack refuses a payload that breaks Block Kit with invalid_blocks and says why in response_metadata.
  const conforms = (method: string, problems: string[], send: (status: number, json: unknown) => void): boolean => {
    if (!problems.length) return true;
    nonConforming.push({ method, problems });
    send(200, { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
    return false;
  };
  const failures = new Map<string, FakeFailure[]>();
  const uploads = new Map<string, { bytes: number; title?: string }>();
  const lastPost = new Map<string, number>();
  const channels = new Map(
    Object.entries(options.channels ?? { 'crm-alerts': 'C0ALERTS', leads: 'C0LEADS', 'customer-success': 'C0CS', 'revenue-leadership': 'C0REV' }),
  );
  let clock = 1_700_000_000;
  const nextTs = () => `${++clock}.000100`;

  const server: Server = createServer(async (req, res) => {
    const raw = await body(req);
    const path = req.url ?? '/';
    let lostResponse = false;
    let cut = false;
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      if (lostResponse) {
        hanging.add(res);
        return;
      }
      if (cut) {
        res.socket?.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (path.startsWith('/upload/')) {
      const id = path.slice('/upload/'.length);
      const u = uploads.get(id);
      if (u) u.bytes = raw.length;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK - ' + raw.length);
      return;
    }
    if (path.startsWith('/response/')) {
      if (fake.hangResponses.has(path)) {
        hanging.add(res);
        return;
      }
      // Slack's docs: a response_url may be used up to 5 times within 30 minutes. Past that Slack
      // refuses the call (404, used_url here) and nothing reaches the user.
      const uses = (fake.responseUses.get(path) ?? 0) + 1;
      fake.responseUses.set(path, uses);
      if (uses > RESPONSE_URL_USES) {
        fake.spentResponses.push(path);
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('used_url');
        return;
      }
      const answer = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      // A workspace or client that refuses a block: the response_url answers as the API does, 200 with ok: false.
      const refusal = fake.inject?.('response_url', answer);
      if (refusal?.error) return send(200, { ok: false, error: refusal.error });
      if (!conforms('response_url', messageProblems(answer), send)) return;
      responses.push({ path, body: answer });
      return send(200, { ok: true });
    }
    const method = path.replace(/^\/api\//, '').split('?')[0]!;
    const params = parseBody(req.headers['content-type'], raw);
    calls.push({ method, body: params, authorization: req.headers.authorization });
    const channelOf = (c: unknown) => {
      const name = String(c ?? '');
      return name.startsWith('#') ? channels.get(name.slice(1)) : name;
    };
    const queue = failures.get(method);
    let failure = queue?.[0];
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) queue!.shift();
    } else failure = fake.inject?.(method, params);
    if (failure?.timeout === 'request') {
      hanging.add(res);
      return;
    }
    if (failure?.timeout === 'response') lostResponse = true;
    else if (failure?.cut) cut = true;
    else if (failure) {
      if (failure.status === 429) {
        rateLimits.push({ at: now(), method, channel: channelOf(params.channel), retryAfterS: failure.retryAfter ?? 1, enforced: false });
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter ?? 1) });
      }
      if (failure.status) return send(failure.status, { ok: false, error: 'internal_error' });
      return send(200, { ok: false, error: failure.error ?? 'fatal_error' });
    }
    if (MESSAGE_METHODS.has(method) && !conforms(method, messageProblems(messageOf(params)), send)) return;
    if (VIEW_METHODS.has(method) && !conforms(method, viewProblems(params.view), send)) return;
    switch (method) {
      case 'auth.test':
        return send(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0TEAM' });
      case 'conversations.list':
        return send(200, { ok: true, channels: [...channels].map(([name, id]) => ({ id, name })), response_metadata: { next_cursor: '' } });
      case 'conversations.open':
        return send(200, { ok: true, channel: { id: `D${String(params.users ?? 'X')}` } });
      case 'chat.postMessage': {
        const channel = channelOf(params.channel);
        if (!channel) return send(200, { ok: false, error: 'channel_not_found' });
        const at = now();
        if (fake.enforceRate && lastPost.has(channel) && at - lastPost.get(channel)! < 1000) {
          rateLimits.push({ at, method, channel, retryAfterS: 1, enforced: true });
          return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
        }
        lastPost.set(channel, at);
        posts.push({ at, channel });
        const m: FakeMessage = { channel, ts: nextTs(), edits: 0, ...pick(params) };
        if (params.thread_ts) m.thread_ts = String(params.thread_ts);
        messages.push(m);
        return send(200, { ok: true, channel, ts: m.ts, message: m });
      }
      case 'chat.update': {
        const m = messages.find((x) => x.channel === params.channel && x.ts === params.ts);
        if (!m) return send(200, { ok: false, error: 'message_not_found' });
        Object.assign(m, pick(params));
        m.edits++;
        return send(200, { ok: true, channel: m.channel, ts: m.ts });
      }
      case 'chat.getPermalink': {
        const m = messages.find((x) => x.channel === params.channel && x.ts === params.message_ts);
        if (!m) return send(200, { ok: false, error: 'message_not_found' });
        return send(200, { ok: true, channel: m.channel, permalink: `https://acme.slack.com/archives/${m.channel}/p${m.ts.replace('.', '')}` });
      }
      case 'chat.postEphemeral':
        responses.push({ path: `ephemeral/${String(params.channel)}/${String(params.user)}`, body: params });
        return send(200, { ok: true, message_ts: nextTs() });
      case 'conversations.history':
        return send(200, { ok: true, messages: messages.filter((m) => m.channel === params.channel && !m.thread_ts).reverse(), has_more: false });
      case 'conversations.replies':
        return send(200, {
          ok: true,
          messages: messages.filter((m) => m.channel === params.channel && (m.ts === params.ts || m.thread_ts === params.ts)),
          has_more: false,
        });
      case 'files.getUploadURLExternal': {
        const id = `F${uploads.size + 1}`;
        uploads.set(id, { bytes: 0 });
        return send(200, { ok: true, file_id: id, upload_url: `${fake.url}/upload/${id}` });
      }
      case 'files.completeUploadExternal': {
        const files = (typeof params.files === 'string' ? JSON.parse(params.files) : params.files) as { id: string; title?: string }[];
        const channel = channelOf(params.channel_id);
        if (!channel) return send(200, { ok: false, error: 'channel_not_found' });
        const m: FakeMessage = {
          channel,
          ts: nextTs(),
          edits: 0,
          files: files.map((f) => ({ id: f.id, title: f.title, bytes: uploads.get(f.id)?.bytes ?? 0 })),
        };
        if (params.thread_ts) m.thread_ts = String(params.thread_ts);
        messages.push(m);
        return send(200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) });
      }
      case 'views.publish':
      case 'views.open':
      case 'views.update':
        views.push({ method, body: params });
        return send(200, { ok: true, view: { id: 'V1' } });
      case 'apps.connections.open':
        // Socket Mode once a WebSocket side is attached (else unknown, as before: tests rely on it),
        // and only with an app-level token.
        if (!fake.socketModeUrl) return send(200, { ok: false, error: 'unknown_method' });
        if (!req.headers.authorization?.startsWith('Bearer xapp-')) return send(200, { ok: false, error: 'not_allowed_token_type' });
        return send(200, { ok: true, url: fake.socketModeUrl });
      case 'usergroups.users.list':
        return send(200, { ok: true, users: [] });
      default:
        return send(200, { ok: false, error: 'unknown_method' });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeSlack = {
    url,
    apiUrl: `${url}/api/`,
    messages,
    responses,
    views,
    calls,
    channels,
    enforceRate: false,
    inject: undefined,
    hangResponses: new Set(),
    responseUses: new Map(),
    spentResponses: [],
    rateLimits,
    posts,
    nonConforming,
    allowNonConforming: false,
    socketModeUrl: undefined,
    fail(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), { times: 1, ...failure }]);
    },
    dropHanging() {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      await new Promise<void>((r) => server.close(() => r()));
      if (nonConforming.length && !fake.allowNonConforming) {
        throw new Error(
          `[fake-slack] ${nonConforming.length} payload(s) broke the Block Kit schema:\n${nonConforming.map((n) => `${n.method}: ${n.problems.join('; ')}`).join('\n')}`,
        );
      }
    },
  };
  return fake;
}

/** Calls Slack takes on one response_url. */
const RESPONSE_URL_USES = 5;

/** The Web API methods whose body is a message, and those whose body carries a view. */
const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.scheduleMessage']);
const VIEW_METHODS = new Set(['views.publish', 'views.open', 'views.update', 'views.push']);
// Addressing fields of the Web API call, not part of the message Block Kit describes.
const ADDRESSING = new Set(['channel', 'ts', 'thread_ts', 'user', 'post_at', 'token', 'team_id']);

/** The message part of a chat.* call's parameters. */
function messageOf(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !ADDRESSING.has(k)));
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Form fields, with the JSON-encoded ones (blocks, metadata…) decoded, or a JSON body. */
function parseBody(type: string | undefined, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (type?.includes('application/json')) return JSON.parse(text || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function pick(params: Record<string, unknown>): Partial<FakeMessage> {
  const out: Partial<FakeMessage> = {};
  if (params.text !== undefined) out.text = String(params.text);
  if (params.blocks !== undefined) out.blocks = params.blocks as unknown[];
  if (params.attachments !== undefined) out.attachments = params.attachments as FakeMessage['attachments'];
  if (params.metadata !== undefined) out.metadata = params.metadata as FakeMessage['metadata'];
  return out;
}
