import { readFileSync, existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isMap, isNode, isScalar, visit, type Alias, type Document } from 'yaml';
import type { z } from 'zod';
import { closestMatch } from '../lib/closest-match.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { configSchema, type Config } from './config-schema.ts';

/** A validated config and where it came from; relative paths in it resolve against `dir`. */
export interface LoadedConfig {
  readonly config: Config;
  readonly file: string;
  readonly dir: string;
  /** true when no crm-pulse.yaml was found and the bundled demo config is in use */
  readonly isDefault: boolean;
  /** names a place in the file for errors found after validation: `crm-pulse.yaml:42: alerts.rules.x.kpi` */
  readonly where: (path: readonly (string | number)[]) => string;
}

/** The bundled config: maps the demo datasets, documented option by option. */
export const DEFAULT_CONFIG_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../crm-pulse.example.yaml');

/**
 * Loads the config at `path`, or the bundled demo config when `path` does not exist and was not
 * asked for explicitly. Throws a CrmPulseError listing every problem with file and line.
 * @example loadConfig('crm-pulse.yaml', { explicit: false }).config.timezone
 */
export function loadConfig(path: string, options: { explicit: boolean }): LoadedConfig {
  const file = resolve(path);
  if (!existsSync(file)) {
    if (options.explicit) {
      throw new CrmPulseError('config', `[config] ${path}: file not found`, {
        hint: 'check CRM_PULSE_CONFIG, or copy crm-pulse.example.yaml to crm-pulse.yaml',
      });
    }
    return { ...parseConfigFile(DEFAULT_CONFIG_FILE), isDefault: true };
  }
  return { ...parseConfigFile(file), isDefault: false };
}

function parseConfigFile(file: string): Omit<LoadedConfig, 'isDefault'> {
  const text = readFileSync(file, 'utf8');
  const name = displayName(file);
  const config = parseConfig(text, name);
  // The document with its positions is needed only to place an error found after validation: it
  // is parsed again then, not at every start (a cold parse of the config costs ~0.1 CPU-s).
  let positions: { doc: Document; lc: LineCounter } | undefined;
  const where = (path: readonly (string | number)[]) => {
    if (!positions) {
      const lc = new LineCounter();
      positions = { doc: parseDocument(text, { lineCounter: lc }), lc };
    }
    return `${name}:${lineOf(positions.doc, positions.lc, [...path])}: ${formatPath([...path])}`;
  };
  return { config, file, dir: dirname(file), where };
}

/**
 * Parses and validates config text. `name` is what error messages call the file.
 * @example parseConfig('timezone: Europe/Berlin', 'crm-pulse.yaml').timezone // 'Europe/Berlin'
 */
export function parseConfig(text: string, name: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
      return `[config] ${name}:${line}: ${e.message.split('\n')[0]}`;
    });
    throw new CrmPulseError('config', lines.join('\n'), { hint: 'fix the YAML syntax at that line' });
  }
  const result = configSchema.safeParse(toJs(doc, lineCounter, name) ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => formatIssue(issue, doc, lineCounter, name));
  throw new CrmPulseError('config', [...new Set(lines)].join('\n'));
}

/**
 * The document as plain data. yaml reports an alias without its anchor, and an alias bomb (a
 * "billion laughs" expansion), only here and as plain errors: say which alias, at which line.
 */
function toJs(doc: Document, lc: LineCounter, name: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    let first: Alias | undefined;
    let unresolved: Alias | undefined;
    visit(doc, {
      Alias(_, node) {
        first ??= node;
        if (node.resolve(doc) === undefined) {
          unresolved = node;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const at = unresolved ?? first;
    const line = at?.range ? lc.linePos(at.range[0]).line : 1;
    const what = unresolved
      ? `alias *${unresolved.source} has no anchor &${unresolved.source} before it`
      : `too many aliases (${(error as Error).message.split('\n')[0]})`;
    throw new CrmPulseError('config', `[config] ${name}:${line}: ${what}`, {
      hint: 'define each anchor (&name) before its aliases (*name), and do not nest aliases to multiply data',
    });
  }
}

function formatIssue(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, name: string): string {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // A wrong or unknown key is reported at the key's own line, not at its value's.
  const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.code === 'invalid_key' ? String(path.at(-1)) : undefined;
  const parent = issue.code === 'invalid_key' ? path.slice(0, -1) : path;
  const line = (key !== undefined && keyLine(doc, lc, parent, key)) || lineOf(doc, lc, path);
  const where = path.length ? `${formatPath(path)}: ` : '';
  return `[config] ${name}:${line}: ${where}${describeIssue(issue)}`;
}

/** The line of the deepest node of `path` that exists in the document. */
function lineOf(doc: Document, lc: LineCounter, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return 1;
}

/** The line of a key inside the mapping at `path`, for keys the schema does not know. */
function keyLine(doc: Document, lc: LineCounter, path: (string | number)[], key: string): number | undefined {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  const range = isNode(pair?.key) ? pair.key.range : undefined;
  return range ? lc.linePos(range[0]).line : undefined;
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const hints = issue.keys.map((k) => suggestKey(k)).filter((h) => h !== undefined);
      const unknown = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
      return hints.length
        ? `${unknown}; did you mean ${hints.map((h) => `'${h}'`).join(', ')}?`
        : `${unknown}; remove or correct ${issue.keys.length > 1 ? 'them' : 'it'}`;
    }
    case 'invalid_key':
      return issue.issues[0]?.message ?? issue.message;
    case 'invalid_type':
      if (issue.input === undefined) return `missing; add it (expected ${issue.expected})`;
      return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `got ${describeValue(issue.input)}; expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const u = issue as typeof issue & { discriminator?: string; options?: unknown[] };
      if (u.discriminator && u.options) {
        const got = (issue.input as Record<string, unknown> | undefined)?.[u.discriminator];
        return `unknown ${u.discriminator} ${JSON.stringify(got)}; known: ${u.options.join(', ')}`;
      }
      return 'not a valid value here; see crm-pulse.example.yaml';
    }
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** The known config key closest to a mistyped one, if any is close. */
function suggestKey(key: string): string | undefined {
  return closestMatch(key, KNOWN_KEYS);
}

/** Every key name the config schema declares, at any depth. */
const KNOWN_KEYS = collectKeys(configSchema);

function collectKeys(schema: unknown, out = new Set<string>()): Set<string> {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (!def) return out;
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape) for (const [k, v] of Object.entries(shape)) collectKeys(v, out.add(k));
  for (const child of [def.innerType, def.in, def.out, def.valueType, def.element, ...((def.options as unknown[]) ?? [])]) {
    if (child) collectKeys(child, out);
  }
  return out;
}
