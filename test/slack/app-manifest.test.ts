// The repo's slack-app-manifest.yaml against SchemaStore's Slack app manifest schema
// (test/fixtures/slack/app-manifest.schema.json, JSON Schema draft-04, last changed 2023-08-16).
// The schema predates some keys Slack now documents; we allow exactly those, listed below, and no
// other: the schema keeps additionalProperties: false everywhere else.
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

type Node = { properties?: Record<string, Node>; [k: string]: unknown };
const schema = JSON.parse(readFileSync(new URL('../fixtures/slack/app-manifest.schema.json', import.meta.url), 'utf8')) as Node;

/**
 * Manifest keys Slack documents that the 2023 schema lacks, each where it goes. Source: Slack's
 * "App manifest reference", https://docs.slack.dev/reference/app-manifest (its full example and
 * field table; read 2026-12), which shows settings.event_subscriptions.metadata_subscriptions,
 * settings.incoming_webhooks, settings.is_hosted, settings.function_runtime and
 * features.assistant_view (the "Agents & AI Apps" feature, needed for the assistant:write scope).
 */
const NEWER_KEYS: [path: string[], key: string, shape: Node][] = [
  [
    ['settings', 'event_subscriptions'],
    'metadata_subscriptions',
    {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['app_id', 'event_type'],
        properties: { app_id: { type: 'string' }, event_type: { type: 'string' } },
      },
    },
  ],
  [['settings'], 'incoming_webhooks', { type: 'object', additionalProperties: false, properties: { incoming_webhooks_enabled: { type: 'boolean' } } }],
  [['settings'], 'is_hosted', { type: 'boolean' }],
  [['settings'], 'function_runtime', { type: 'string', enum: ['remote', 'slack'] }],
  [
    ['features'],
    'assistant_view',
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        assistant_description: { type: 'string' },
        suggested_prompts: {
          type: 'array',
          maxItems: 4,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['title', 'message'],
            properties: { title: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  ],
];

/** The published schema with the documented newer keys added, and nothing else changed. */
function withNewerKeys(base: Node): Node {
  const copy = structuredClone(base);
  for (const [path, key, shape] of NEWER_KEYS) {
    let node = copy;
    for (const p of path) node = node.properties![p]!;
    expect(node.properties![key], `${path.join('.')}.${key} is already in the schema; drop it from NEWER_KEYS`).toBeUndefined();
    node.properties![key] = shape;
  }
  return copy;
}

// ajv-draft-04 is CommonJS: under ESM its class arrives as the module's default.
type AjvClass = new (options: { allErrors: boolean; strict: boolean }) => { compile(schema: object): ValidateFunction };
const Ajv04 = ((AjvDraft04Module as unknown as { default?: AjvClass }).default ?? AjvDraft04Module) as unknown as AjvClass;
const validate = new Ajv04({ allErrors: true, strict: false }).compile(withNewerKeys(schema));
const problems = (manifest: unknown) =>
  validate(manifest)
    ? []
    : (validate.errors ?? []).map(
        (e) =>
          `${e.instancePath || '/'} ${e.message ?? ''}${e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : ''}`,
      );
const manifest = parse(readFileSync(new URL('../../slack-app-manifest.yaml', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;

describe('slack-app-manifest.yaml', () => {
  it('validates against the published manifest schema', () => {
    expect(problems(manifest)).toEqual([]);
  });

  it('asks for what the app uses: /kpi, App Home, interactivity and the scopes the Web API calls need', () => {
    expect(JSON.stringify(manifest.features!.slash_commands)).toContain('"command":"/kpi"');
    expect(manifest.features!.app_home).toMatchObject({ home_tab_enabled: true });
    expect(manifest.settings!.interactivity).toMatchObject({ is_enabled: true });
    const scopes = (manifest.oauth_config!.scopes as { bot: string[] }).bot;
    for (const s of ['chat:write', 'commands', 'files:write', 'channels:history', 'im:write', 'im:history']) expect(scopes).toContain(s);
  });

  it('allows the newer keys Slack documents, and refuses any other key', () => {
    const newer = structuredClone(manifest);
    newer.settings!.function_runtime = 'remote';
    newer.settings!.is_hosted = false;
    newer.settings!.incoming_webhooks = { incoming_webhooks_enabled: false };
    (newer.settings!.event_subscriptions as Record<string, unknown>).metadata_subscriptions = [{ app_id: '*', event_type: 'crm_pulse_alert' }];
    newer.features!.assistant_view = { assistant_description: 'KPI answers', suggested_prompts: [{ title: 'Win rate', message: 'win_rate last month' }] };
    expect(problems(newer)).toEqual([]);

    const typo = structuredClone(manifest);
    typo.settings!.socket_mode = true;
    expect(problems(typo)).toEqual(["/settings must NOT have additional properties 'socket_mode'"]);
    const undocumented = structuredClone(manifest);
    undocumented.features!.data_visualization = true;
    expect(problems(undocumented)).toEqual(["/features must NOT have additional properties 'data_visualization'"]);
    const wrong = structuredClone(manifest);
    wrong.settings!.function_runtime = 'lambda';
    expect(problems(wrong)).toEqual(['/settings/function_runtime must be equal to one of the allowed values']);
  });
});
