// Block Kit conformance: a payload is checked against the published Block Kit JSON Schema
// (test/fixtures/slack/block-kit.schema.json, TightknitAI/slack-block-kit-validator, MIT) with Ajv,
// plus the rules the schema cannot express that its authors check in code (listed in
// test/fixtures/slack/README.md), plus the few Slack limits the schema lacks.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Reply } from '../../src/answers/reply.ts';
import { renderReply, renderReplyMessages } from '../../src/slack/blocks/render-reply.ts';

/** Where a payload is shown: Slack accepts different blocks and counts on each. */
export type Surface = 'message' | 'modal' | 'home';

const schema = JSON.parse(readFileSync(new URL('../fixtures/slack/block-kit.schema.json', import.meta.url), 'utf8')) as {
  $id: string;
  $defs: Record<string, unknown>;
};
// ajv-formats is CommonJS: its default export arrives as the module object under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(schema);
// A plain boolean check: Ajv's type guard would narrow a failed value to `never`.
type Check = ((data: unknown) => boolean) & Pick<ValidateFunction, 'errors'>;
const compiled = new Map<string, Check>();
/** The schema's own validator for one `$defs` entry, or its root (a message's blocks) with ''. */
function validator(def: string): Check {
  let v = compiled.get(def);
  if (!v) {
    v = ajv.getSchema(def ? `${schema.$id}#/$defs/${def}` : schema.$id) as Check;
    compiled.set(def, v);
  }
  return v;
}
// Compiled once when the module loads, so no Slack call a test times waits for Ajv.
for (const def of ['', 'block', 'modal_view', 'home_view', ...Object.keys(schema.$defs).filter((d) => d.endsWith('_block'))]) validator(def);

// https://docs.slack.dev/reference/block-kit/blocks: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs".
const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
// The blocks each surface refuses, from the "Available in surfaces" line of each block's reference
// page; the schema's authors keep the same list (their check-surface-compatibility helper).
const FORBIDDEN: Record<Surface, ReadonlySet<string>> = {
  message: new Set(['alert', 'file']),
  modal: new Set(['card', 'carousel', 'context_actions', 'data_table', 'data_visualization', 'file', 'markdown', 'plan', 'table', 'task_card']),
  home: new Set(['alert', 'context_actions', 'data_visualization', 'file', 'markdown', 'plan', 'table', 'task_card']),
};
// https://docs.slack.dev/reference/methods/chat.postMessage: text is truncated past 40,000 characters.
const MAX_MESSAGE_TEXT = 40_000;
// native-blocks-2026.md: 10,000 characters across the cells of a data_table, and of all tables in a message.
const MAX_TABLE_CHARS = 10_000;
// https://docs.slack.dev/reference/block-kit/blocks/markdown-block: 12,000 characters across a payload's markdown blocks.
const MAX_MARKDOWN_CHARS = 12_000;
// The message keys chat.postMessage, chat.update and response_url bodies may carry besides blocks.
const MESSAGE_KEYS = new Set([
  'text',
  'blocks',
  'attachments',
  'channel',
  'ts',
  'thread_ts',
  'reply_broadcast',
  'metadata',
  'mrkdwn',
  'unfurl_links',
  'unfurl_media',
  'response_type',
  'replace_original',
  'delete_original',
  'as_user',
  'icon_emoji',
  'icon_url',
  'username',
  'link_names',
  'parse',
  'user',
  'token',
]);
// Secondary attachments: only these keys are ours to send (the rest are legacy fields we never use).
const ATTACHMENT_KEYS = new Set(['color', 'blocks', 'fallback']);

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What in a message (chat.postMessage / chat.update / chat.postEphemeral / response_url body)
 * breaks Block Kit, in words; empty when it conforms.
 * @example messageProblems({ text: 'x', blocks: [{ type: 'section' }] }) // ['blocks[0] (section): must match …']
 */
export function messageProblems(message: Json): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(message)) if (!MESSAGE_KEYS.has(key)) problems.push(`message: unknown key '${key}'`);
  const text = message.text;
  if (text !== undefined && typeof text !== 'string') problems.push('message: text must be a string');
  if (typeof text === 'string' && text.length > MAX_MESSAGE_TEXT) problems.push(`message: text is ${text.length} characters; at most ${MAX_MESSAGE_TEXT}`);
  const blocks = message.blocks as unknown[] | undefined;
  const attachments = (message.attachments ?? []) as unknown[];
  if (!text && !blocks?.length && !attachments.length && !message.delete_original) problems.push('message: needs text, blocks or attachments');
  const all: unknown[] = [];
  if (blocks !== undefined) {
    problems.push(...schemaProblems(blocks, '', 'blocks'));
    if (Array.isArray(blocks)) all.push(...blocks);
  }
  if (!Array.isArray(attachments)) problems.push('message: attachments must be an array');
  else
    attachments.forEach((a, i) => {
      if (!isRecord(a)) return problems.push(`attachments[${i}]: must be an object`);
      for (const key of Object.keys(a)) if (!ATTACHMENT_KEYS.has(key)) problems.push(`attachments[${i}]: unknown key '${key}'`);
      if (a.color !== undefined && !/^(#[0-9A-Fa-f]{6}|good|warning|danger)$/.test(String(a.color)))
        problems.push(`attachments[${i}].color: '${String(a.color)}' is not #RRGGBB, good, warning or danger`);
      if (a.blocks !== undefined) {
        problems.push(...schemaProblems(a.blocks, '', `attachments[${i}].blocks`));
        if (Array.isArray(a.blocks)) all.push(...(a.blocks as unknown[]));
      }
    });
  problems.push(...ruleProblems(all, 'message'));
  return problems;
}

/**
 * What in a /kpi reply breaks Block Kit once rendered as Slack renders it, empty when it conforms.
 * renderReply cuts text as a last guard (ending it with "…"); a reply that needed that lost words
 * its answer should have fitted itself, so a cut counts as a problem too.
 */
export function replyProblems(reply: Reply): string[] {
  const response_type = reply.visibility === 'in_channel' ? 'in_channel' : 'ephemeral';
  const rendered = renderReply(reply);
  const problems = messageProblems({ ...rendered, response_type });
  const cuts = ellipses(JSON.stringify(rendered)) - ellipses(JSON.stringify(reply));
  if (cuts > 0) problems.push(`reply: the renderer had to cut ${cuts} text(s) to fit Slack; the answer should fit them itself (fitReply, fitTable)`);
  // The same reply with Slack's native blocks: charts as data_visualization, the table as data_table (one message or several).
  renderReplyMessages(reply, { native: true, tables: true }).forEach((m, i) =>
    problems.push(...messageProblems({ ...m, response_type }).map((p) => `native message ${i + 1}: ${p}`)),
  );
  return problems;
}

const ellipses = (text: string) => text.split('…').length - 1;

/** What in a modal or App Home view (views.open / views.update / views.publish) breaks Block Kit; empty when it conforms. */
export function viewProblems(view: unknown): string[] {
  if (!isRecord(view)) return ['view: must be an object'];
  const surface: Surface | undefined = view.type === 'modal' ? 'modal' : view.type === 'home' ? 'home' : undefined;
  if (!surface) return [`view: type '${String(view.type)}' is neither modal nor home`];
  const problems = schemaProblems(view, surface === 'modal' ? 'modal_view' : 'home_view', 'view');
  if (Array.isArray(view.blocks)) problems.push(...ruleProblems(view.blocks, surface));
  return problems;
}

/**
 * The schema's verdict on one value, as readable lines. A block array that fails is re-checked
 * block by block against the definition for its own type, so the message names the field that is
 * wrong instead of every branch of the schema's `oneOf`.
 */
function schemaProblems(value: unknown, def: string, at: string): string[] {
  const validate = validator(def);
  if (validate(value)) return [];
  const blocks = def === '' ? value : isRecord(value) ? value.blocks : undefined;
  const problems: string[] = [];
  const perBlock = Array.isArray(blocks) ? blocks.flatMap((b, i) => blockProblems(b, def === '' ? `${at}[${i}]` : `${at}.blocks[${i}]`)) : [];
  // Errors outside the blocks (array length, view fields) are reported as the schema words them.
  const outer = (validate.errors ?? []).filter((e) => !/^\/(blocks\/)?\d+/.test(e.instancePath) || (def !== '' && !e.instancePath.startsWith('/blocks/')));
  problems.push(...outer.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if').map((e) => words(at, e)));
  problems.push(...perBlock);
  return problems.length ? [...new Set(problems)] : (validate.errors ?? []).map((e) => words(at, e));
}

function blockProblems(block: unknown, at: string): string[] {
  if (validator('block')(block)) return [];
  const type = isRecord(block) ? String(block.type) : '?';
  const def = `${type}_block`;
  if (!schema.$defs[def]) return [`${at}: unknown block type '${type}'`];
  const own = validator(def);
  own(block);
  const errors = (own.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  return (errors.length ? errors : (own.errors ?? [])).map((e) => words(`${at} (${type})`, e));
}

function words(at: string, e: ErrorObject): string {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
      : e.keyword === 'const' || e.keyword === 'enum'
        ? ` ${JSON.stringify(e.params)}`
        : '';
  return `${at}${e.instancePath.replaceAll('/', '.')}: ${e.message ?? e.keyword}${extra}`;
}

/** The rules the schema cannot express: ids unique, per-surface counts and blocks, chart and table consistency. */
function ruleProblems(blocks: unknown[], surface: Surface): string[] {
  const problems: string[] = [];
  const list = blocks.filter(isRecord);
  if (list.length > MAX_BLOCKS[surface]) problems.push(`${surface}: ${list.length} blocks; at most ${MAX_BLOCKS[surface]}`);
  const blockIds = new Map<string, number>();
  let tables = 0;
  let charts = 0;
  let tableChars = 0;
  let markdownChars = 0;
  list.forEach((b, i) => {
    const at = `blocks[${i}] (${String(b.type)})`;
    if (FORBIDDEN[surface].has(String(b.type))) problems.push(`${at}: not allowed in a ${surface}`);
    if (typeof b.block_id === 'string') {
      if (blockIds.has(b.block_id)) problems.push(`${at}: block_id '${b.block_id}' is also used by blocks[${blockIds.get(b.block_id)}]`);
      else blockIds.set(b.block_id, i);
    }
    // Slack keys state.values by block_id then action_id, so action_ids must differ within a block.
    const actionIds = new Set<string>();
    for (const el of [b.accessory, b.element, ...(Array.isArray(b.elements) ? b.elements : [])]) {
      if (!isRecord(el) || typeof el.action_id !== 'string') continue;
      if (actionIds.has(el.action_id)) problems.push(`${at}: action_id '${el.action_id}' appears twice in the block`);
      actionIds.add(el.action_id);
    }
    if (b.type === 'table' || b.type === 'data_table') tables++;
    if (b.type === 'data_table') tableChars += tableProblems(b, at, problems);
    if (b.type === 'data_visualization') {
      charts++;
      chartProblems(b, at, problems);
    }
    if (b.type === 'markdown' && typeof b.text === 'string') markdownChars += b.text.length;
  });
  if (surface === 'message' && tables > 1) problems.push(`message: ${tables} table blocks; at most 1`);
  if (surface === 'message' && charts > 2) problems.push(`message: ${charts} data_visualization blocks; at most 2`);
  if (tableChars > MAX_TABLE_CHARS) problems.push(`${surface}: ${tableChars} characters in tables; at most ${MAX_TABLE_CHARS}`);
  if (markdownChars > MAX_MARKDOWN_CHARS) problems.push(`${surface}: ${markdownChars} characters in markdown blocks; at most ${MAX_MARKDOWN_CHARS}`);
  return problems;
}

/** data_table rules the schema leaves to code; returns the characters in its cells. */
function tableProblems(b: Json, at: string, problems: string[]): number {
  const rows = Array.isArray(b.rows) ? (b.rows as unknown[][]) : [];
  const width = rows[0]?.length ?? 0;
  let chars = 0;
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) return;
    if (row.length !== width) problems.push(`${at}: row ${r} has ${row.length} cells; the header has ${width}`);
    for (const cell of row.filter(isRecord)) {
      if (r === 0 && cell.type === 'rich_text') problems.push(`${at}: the header row cannot hold rich_text cells`);
      chars +=
        typeof cell.text === 'string' ? cell.text.length : cell.type === 'raw_number' ? String(cell.value).length : JSON.stringify(cell.elements ?? '').length;
    }
  });
  if (typeof b.row_header_column_index === 'number' && b.row_header_column_index >= width)
    problems.push(`${at}: row_header_column_index ${b.row_header_column_index} is past the last column (${width - 1})`);
  if (chars > MAX_TABLE_CHARS) problems.push(`${at}: ${chars} characters in its cells; at most ${MAX_TABLE_CHARS}`);
  return chars;
}

/** data_visualization rules the schema leaves to code: unique series names, one point per category. */
function chartProblems(b: Json, at: string, problems: string[]): void {
  const chart = isRecord(b.chart) ? b.chart : {};
  if (!Array.isArray(chart.series)) return;
  const categories = isRecord(chart.axis_config) && Array.isArray(chart.axis_config.categories) ? (chart.axis_config.categories as string[]) : [];
  if (new Set(categories).size !== categories.length) problems.push(`${at}: axis categories repeat`);
  const names = new Set<string>();
  for (const s of chart.series.filter(isRecord)) {
    const name = String(s.name);
    if (names.has(name)) problems.push(`${at}: series name '${name}' repeats`);
    names.add(name);
    const labels = (Array.isArray(s.data) ? s.data.filter(isRecord) : []).map((d) => String(d.label));
    const missing = categories.filter((c) => !labels.includes(c));
    const stray = labels.filter((l) => !categories.includes(l));
    if (missing.length || stray.length || labels.length !== new Set(labels).size) {
      problems.push(
        `${at}: series '${name}' must have exactly one point per category (missing ${JSON.stringify(missing)}, not a category ${JSON.stringify(stray)})`,
      );
    }
  }
}
