import { parse as parseQuery } from 'node:querystring';

/**
 * Reads a request body exactly as Bolt's HTTP receiver will (`parseHTTPRequestBody` in
 * @slack/bolt 5): a form body when the content type is exactly `application/x-www-form-urlencoded`
 * (its `payload` field JSON-decoded when it is a string), JSON otherwise. Undefined when it is
 * not readable, which Bolt answers with 400 itself.
 */
export function boltBodyOf(contentType: string | undefined, text: string): { value: unknown } | undefined {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseQuery(text);
      return { value: typeof form.payload === 'string' ? JSON.parse(form.payload) : { ...form } };
    }
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

type Check = (v: unknown, at: string) => string | undefined;

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const string: Check = (v, at) => (typeof v === 'string' ? undefined : `${at}: expected a string, got ${kind(v)}`);
const url: Check = (v, at) => string(v, at) ?? (/^https?:\/\/\S+$/.test(v as string) ? undefined : `${at}: expected an http(s) URL`);
/**
 * A Slack id (team, enterprise, user, channel): word characters only, and never a name every
 * JavaScript object has (`__proto__`, `constructor`): Bolt answered `team_id: "__proto__"` with 500.
 */
const id: Check = (v, at) =>
  string(v, at) ?? (/^[\w.-]{1,64}$/.test(v as string) && !((v as string) in Object.prototype) ? undefined : `${at}: not a Slack id`);
const optional =
  (check: Check): Check =>
  (v, at) =>
    v === undefined ? undefined : check(v, at);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const object =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v, at) => {
    if (!isObject(v)) return `${at}: expected an object, got ${kind(v)}`;
    for (const [name, check] of Object.entries(fields)) {
      const problem = check(v[name], `${at}.${name}`);
      if (problem) return problem;
    }
    return undefined;
  };
const array =
  (item: Check, min: number, max: number): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return `${at}: expected an array, got ${kind(v)}`;
    if (v.length < min || v.length > max) return `${at}: expected ${min} to ${max} items, got ${v.length}`;
    for (const [i, x] of v.entries()) {
      const problem = item(x, `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
/** An object whose every value passes `check` (a view's state: block id → action id → value). */
const record =
  (check: Check): Check =>
  (v, at) => {
    if (!isObject(v)) return `${at}: expected an object, got ${kind(v)}`;
    for (const [k, x] of Object.entries(v)) {
      const problem = check(x, `${at}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  };

const user = object({ id, team_id: optional(id) });
const nullable =
  (check: Check): Check =>
  (v, at) =>
    v === null ? undefined : check(v, at);
/** The workspace fields Bolt authorizes with, wherever a body carries them. */
const workspace = {
  team_id: optional(id),
  enterprise_id: optional(id),
  team: optional(nullable(object({ id: optional(id) }))),
  enterprise: optional(nullable(object({ id: optional(id) }))),
};
const option = object({ value: string });
const stateValue = object({
  type: optional(string),
  value: optional((v, at) => (v === null ? undefined : string(v, at))),
  selected_option: optional((v, at) => (v === null ? undefined : option(v, at))),
});
const view = object({
  id: optional(string),
  callback_id: string,
  private_metadata: optional(string),
  state: optional(object({ values: record(record(stateValue)) })),
});

/** The shapes of the bodies crm-pulse's listeners read, by what tells them apart. */
const SHAPES: Readonly<Record<string, Check>> = {
  command: object({ ...workspace, command: string, text: string, user_id: id, channel_id: id, response_url: url, trigger_id: optional(string) }),
  block_actions: object({
    ...workspace,
    user,
    trigger_id: optional(string),
    response_url: optional(url),
    channel: optional(object({ id })),
    message: optional(object({ ts: string })),
    container: optional(object({})),
    view: optional(object({ id: optional(string) })),
    actions: array(object({ action_id: string, type: string, block_id: optional(string), value: optional(string), selected_option: optional(option) }), 1, 25),
  }),
  view_submission: object({ ...workspace, user, view, trigger_id: optional(string) }),
  view_closed: object({ ...workspace, user, view }),
  event_callback: object({ ...workspace, event: object({ type: string, user: optional(id), tab: optional(string) }) }),
  url_verification: object({ challenge: string }),
};

/**
 * What is wrong with a signed body before Bolt reads it, or undefined when its shape is one that
 * crm-pulse handles: a slash command, `block_actions`, `view_submission`/`view_closed`, an
 * `event_callback`, or `url_verification`. Bolt's receiver trusts the shape (a JSON `null` crashed
 * it), so every field a listener reads is checked here, with where it was wrong.
 * @example bodyShapeProblem(null) // 'body: expected an object, got null'
 */
export function bodyShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return `body: expected an object, got ${kind(body)}`;
  if ('command' in body) return SHAPES.command!(body, 'body');
  const type = body.type;
  if (typeof type !== 'string') return `body.type: expected a string, got ${kind(type)}`;
  // Own keys only: `type: "__proto__"` must not find Object.prototype (the fuzz found it did).
  const check = Object.hasOwn(SHAPES, type) ? SHAPES[type] : undefined;
  if (!check || type === 'command')
    return `body.type: '${type.slice(0, 40)}' is not handled; expected one of ${Object.keys(SHAPES)
      .filter((k) => k !== 'command')
      .join(', ')}`;
  return check(body, 'body');
}
