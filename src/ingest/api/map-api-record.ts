import type { ApiFieldConfig } from '../../config/crm-source-schemas.ts';
import { CRM_OBJECTS, type CrmObject, type FieldSpec, type StoredValue } from '../../domain/crm-objects.ts';
import { hash53 } from '../../lib/hash53.ts';
import type { RejectKind } from '../../store/sync-log.ts';
import type { PendingRecord, RefValue } from '../connector.ts';
import { checkRecord } from '../csv/compile-mapping.ts';
import { CellError, parseCell } from '../csv/parse-cell.ts';

/** A record's properties as a CRM API returned them, flattened: name → value. */
export type ApiProperties = Readonly<Record<string, unknown>>;

/** A record mapped onto its canonical object, or why it cannot be. */
export type MappedRecord = { record: PendingRecord } | { kind: RejectKind; reason: string };

/** A connector's own step after the fields are read: fills derived fields, or says why the record is rejected. */
export type DeriveFields = (values: Record<string, StoredValue>, props: ApiProperties) => { kind: RejectKind; reason: string } | undefined;

/** A compiled mapping of one CRM object onto its canonical object. */
export interface ApiMapping {
  /** every property the mapping reads: what to ask the API for */
  readonly properties: readonly string[];
  /** whether the config maps `field` itself (so the connector must not derive it) */
  mapsField(field: string): boolean;
  /** whether the config says anything of `field`, a mapping or null */
  configures(field: string): boolean;
  /** the canonical fields that read `property` (case-insensitive), for messages about it */
  fieldsReading(property: string): string[];
  /** `line` is the record's position in the read; `externalId` its id in the CRM */
  map(line: number, externalId: string, props: ApiProperties): MappedRecord;
}

/** What compileApiMapping needs. */
export interface ApiMappingOptions {
  readonly object: CrmObject;
  /** the connector's default mapping of each canonical field */
  readonly defaults: Readonly<Record<string, ApiFieldConfig>>;
  /** the config's `fields:` for this object, replacing defaults field by field */
  readonly overrides?: Readonly<Record<string, ApiFieldConfig>>;
  /** what messages call a source field: 'property' (HubSpot) or 'field' (Salesforce) */
  readonly noun: string;
  readonly derive?: DeriveFields;
}

interface FieldReader {
  readonly name: string;
  readonly spec: FieldSpec;
  readonly from: readonly string[];
  readonly config: Exclude<ApiFieldConfig, string | null>;
}

/**
 * Compiles the mapping of a CRM object: the connector's defaults with the config's overrides,
 * field by field. Values are parsed to their canonical types, references become keys resolved
 * later (an unknown one is left empty and counted in the notes), and a record that lacks a
 * required value or holds a wrong one is rejected with the field and property named.
 * @example compileApiMapping({ object: 'deals', defaults: { amount: 'amount' }, noun: 'property' }).map(1, '42', { amount: '10' })
 */
export function compileApiMapping(options: ApiMappingOptions): ApiMapping {
  const { object, noun } = options;
  const specs = CRM_OBJECTS[object];
  const merged: Record<string, ApiFieldConfig> = { ...options.defaults, ...options.overrides };
  const readers: FieldReader[] = [];
  for (const [name, raw] of Object.entries(merged)) {
    const spec = specs[name];
    if (!spec || raw === null || raw === undefined) continue;
    const config = typeof raw === 'string' ? { from: raw } : raw;
    readers.push({ name, spec, config, from: Array.isArray(config.from) ? config.from : [config.from as string] });
  }
  const properties = [...new Set(readers.flatMap((r) => r.from))];
  const where = (r: FieldReader) => `${r.name} (${noun} '${r.from.join("' + '")}')`;

  return {
    properties,
    mapsField: (field) => Object.hasOwn(options.overrides ?? {}, field) && options.overrides![field] !== null,
    configures: (field) => Object.hasOwn(options.overrides ?? {}, field),
    fieldsReading: (property) => readers.filter((r) => r.from.some((f) => f.toLowerCase() === property.toLowerCase())).map((r) => r.name),
    map(line, externalId, props) {
      const values: Record<string, StoredValue> = {};
      const refs: Record<string, RefValue | null> = {};
      for (const r of readers) {
        let text: string | undefined;
        try {
          text = textOf(r, props);
        } catch (error) {
          if (error instanceof CellError) return { kind: 'shape', reason: `${where(r)}: ${error.message}` };
          throw error;
        }
        if (r.spec.ref) {
          refs[r.name] = text === undefined ? null : { object: r.spec.ref, key: text, unknown: 'empty' };
          continue;
        }
        try {
          values[r.name] = text === undefined ? null : parseValue(text, r.spec);
        } catch (error) {
          if (error instanceof CellError) return { kind: 'invalid', reason: `${where(r)}: ${error.message}` };
          throw error;
        }
      }
      const derived = options.derive?.(values, props);
      if (derived) return derived;
      for (const [name, spec] of Object.entries(specs)) {
        if (spec.ref) continue;
        if (name === 'name' && spec.required && values.name == null) values.name = externalId;
        if (values[name] == null && spec.defaultValue !== undefined) values[name] = spec.defaultValue;
        if (spec.required && values[name] == null) {
          const r = readers.find((x) => x.name === name);
          return { kind: 'missing', reason: `${r ? where(r) : name} is required but empty` };
        }
        if (spec.oneOf && values[name] != null && !spec.oneOf.includes(String(values[name]))) {
          const r = readers.find((x) => x.name === name);
          return { kind: 'invalid', reason: `${r ? where(r) : name}: '${values[name]}' is not one of ${spec.oneOf.join(', ')}; add a map for it` };
        }
      }
      const problem = checkRecord(object, values);
      if (problem) return { kind: 'invalid', reason: problem };
      return { record: { line, externalId, contentHash: hash53(JSON.stringify([values, refs])), values, refs } };
    },
  };
}

/** The field's text after `from`, `default`, `map` and `other`; undefined when empty. */
function textOf(r: FieldReader, props: ApiProperties): string | undefined {
  const parts: string[] = [];
  for (const p of r.from) {
    const v = scalarText(props[p]);
    if (v !== undefined) parts.push(v);
  }
  const c = r.config;
  let t: string | undefined = parts.length ? parts.join(' ') : undefined;
  if (t === undefined && c.default !== undefined) t = String(c.default);
  if (t === undefined) return undefined;
  if (c.map && Object.hasOwn(c.map, t)) {
    const to = c.map[t];
    return to === null || to === undefined ? undefined : String(to);
  }
  return c.other !== undefined ? String(c.other) : t;
}

function scalarText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new CellError(`expected a single value, got ${Array.isArray(v) ? 'a list' : 'an object'}`);
}

/** A property's text as its canonical type; CRM APIs write dates as ISO text or epoch milliseconds. */
function parseValue(text: string, spec: FieldSpec): StoredValue {
  if ((spec.type === 'date' || spec.type === 'datetime') && /^-?\d{11,}$/.test(text)) return parseCell(text, spec.type, 'unix_ms', 'UTC');
  if (spec.type === 'int' && /^[-+]?\d+\.0*$/.test(text)) return Number(text);
  return parseCell(text, spec.type, 'iso', 'UTC');
}

/**
 * The record with a reference set after mapping (an association read separately); its content
 * hash follows, so that a changed association rewrites the row.
 */
export function withRef(record: PendingRecord, field: string, ref: RefValue | null): PendingRecord {
  const refs = { ...record.refs, [field]: ref };
  return { ...record, refs, contentHash: hash53(JSON.stringify([record.values, refs])) };
}
