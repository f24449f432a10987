import { CRM_OBJECTS, type FieldSpec, type StoredValue } from '../../domain/crm-objects.ts';
import type { ColumnSpec, CsvFileConfig } from '../../config/config-schema.ts';
import { CrmPulseError } from '../../lib/errors.ts';
import type { RejectKind } from '../../store/sync-log.ts';
import type { PendingRecord, RefValue } from '../connector.ts';
import { CellError, parseCell, type DateFormat } from './parse-cell.ts';
import type { NumberFormat } from './parse-number.ts';

/** A CSV row turned into a record, or the reason it cannot be one. */
export type MappedRow = { record: PendingRecord } | { kind: RejectKind; reason: string };

/** The mapping of one file, bound to its header. */
export interface CompiledMapping {
  /** `contentHash` identifies the row's text under this mapping (see PendingRecord). */
  mapRow(line: number, cells: readonly string[], contentHash: number): MappedRow;
  /** counts of values the mapping normalised, as data-quality notes */
  notes(): string[];
}

type Getter = (cells: readonly string[]) => string | undefined;

interface CompiledField {
  readonly name: string;
  readonly spec: FieldSpec;
  readonly column: string | undefined;
  read(cells: readonly string[]): StoredValue;
}

/**
 * Binds a file's column mapping to its header: checks that every mapped column exists, then
 * returns a function from row cells to a canonical record.
 * Throws when the header cannot serve the mapping (a missing column, a wrong delimiter).
 * @example compileMapping(fileConfig, ['opportunity_id', 'deal_stage'], 'sales_pipeline.csv')
 */
export function compileMapping(file: CsvFileConfig, header: readonly string[], label: string, currency?: string): CompiledMapping {
  const decimal = file.number_format?.decimal ?? '.';
  const numbers: NumberFormat = { decimal, thousands: file.number_format?.thousands ?? (decimal === '.' ? ',' : '.'), currency };
  const index = new Map(header.map((h, i) => [h, i]));
  const column = (name: string, where: string): Getter => {
    const i = index.get(name);
    if (i === undefined) throw missingColumn(label, name, where, header, file.delimiter);
    return (cells) => cells[i];
  };
  const keyColumns = (Array.isArray(file.key) ? file.key : [file.key]) as string[];
  const keyGetters = keyColumns.map((k) => ({ name: k, get: column(k, 'key') }));
  // field → "from → to" → how many cells the map replaced
  const normalised = new Map<string, Map<string, number>>();
  // field → value `map` does not list → how many cells `other` replaced
  const others = new Map<string, Map<string, number>>();
  let rows = 0;
  const fields: CompiledField[] = [];
  const refs: { name: string; build: (cells: readonly string[]) => RefValue | null }[] = [];

  for (const [name, spec] of Object.entries(CRM_OBJECTS[file.object])) {
    const raw = file.columns[name];
    if (raw === undefined) continue;
    const cs: ColumnSpec = typeof raw === 'string' ? { from: raw } : raw;
    const get = cs.from !== undefined ? column(cs.from, `columns.${name}`) : () => undefined;
    const text = cellText(cs, get, name, normalised, others);
    if (spec.ref) {
      const target = spec.ref;
      const create = Object.entries(cs.create_with ?? {}).map(([f, col]) => ({ f, get: column(col, `columns.${name}.create_with.${f}`) }));
      refs.push({
        name,
        build: (cells) => {
          const key = text(cells);
          if (key === undefined) return null;
          const fieldsOfNew: Record<string, StoredValue> = {};
          for (const { f, get: g } of create) fieldsOfNew[f] = emptyToNull(g(cells));
          return { object: target, key, unknown: cs.unknown ?? 'reject', ...(create.length ? { create: fieldsOfNew } : {}) };
        },
      });
      continue;
    }
    const matcher = cs.match !== undefined ? new RegExp(cs.match) : undefined;
    const format: DateFormat = cs.format ?? 'iso';
    fields.push({
      name,
      spec,
      column: cs.from,
      read: (cells) => {
        const t = text(cells);
        if (matcher) return t !== undefined && matcher.test(t);
        if (t === undefined) return null;
        const value = parseCell(t, spec.type, format, file.timezone, numbers);
        if (spec.oneOf && !spec.oneOf.includes(String(value))) {
          throw new CellError(`'${t}' is not one of ${spec.oneOf.join(', ')}; add a map for it`);
        }
        return value;
      },
    });
  }
  const objectFields = CRM_OBJECTS[file.object];
  // The plain fields with a default or required, checked on every row (listed once, not per row).
  const checked = Object.entries(objectFields).filter(([, spec]) => !spec.ref && (spec.defaultValue !== undefined || spec.required));

  return {
    notes: () => [
      ...(rows === 0 ? ['warning: the file has a header but no data rows; check that it is the right export'] : []),
      ...[...normalised].map(([field, pairs]) => {
        const total = [...pairs.values()].reduce((a, b) => a + b, 0);
        const detail = [...pairs].map(([pair, n]) => `${pair} ${n.toLocaleString('en-US')}`).join('; ');
        return `${field}: ${total.toLocaleString('en-US')} values mapped (${detail})`;
      }),
      // What `other` replaced is counted per value, so that a value missing from `map` (a
      // lower-case 'closed won') is seen rather than silently becoming the catch-all.
      ...[...others].map(([field, values]) => {
        const total = [...values.values()].reduce((a, b) => a + b, 0);
        const other = (file.columns[field] as ColumnSpec).other;
        const detail = [...values]
          .sort((a, b) => b[1] - a[1])
          .map(([v, n]) => `'${v}' ${n.toLocaleString('en-US')}`)
          .join('; ');
        return `${field}: ${total.toLocaleString('en-US')} values not listed in map became '${String(other)}' (${detail})`;
      }),
    ],
    mapRow(line, cells, contentHash) {
      rows++;
      if (cells.length !== header.length) {
        return { kind: 'shape', reason: `has ${cells.length} fields, the header has ${header.length}` };
      }
      const keyParts: string[] = [];
      for (const k of keyGetters) {
        const v = k.get(cells)?.trim();
        if (!v) return { kind: 'missing', reason: `key column '${k.name}' is empty` };
        keyParts.push(v);
      }
      const values: Record<string, StoredValue> = {};
      for (const f of fields) {
        try {
          values[f.name] = f.read(cells);
        } catch (error) {
          if (error instanceof CellError) return { kind: 'invalid', reason: `${f.name} (column '${f.column}'): ${error.message}` };
          throw error;
        }
      }
      const refValues: Record<string, RefValue | null> = {};
      for (const r of refs) refValues[r.name] = r.build(cells);
      const externalId = keyParts.join('/');
      derive(file.object, values, externalId, objectFields);
      for (const [name, spec] of checked) {
        if (values[name] == null && spec.defaultValue !== undefined) values[name] = spec.defaultValue;
        if (spec.required && values[name] == null) {
          const col = file.columns[name];
          return { kind: 'missing', reason: `${name}${col ? ` (column '${typeof col === 'string' ? col : col.from}')` : ''} is required but empty` };
        }
      }
      const problem = checkRecord(file.object, values);
      if (problem) return { kind: 'invalid', reason: problem };
      return { record: { line, externalId, contentHash, values, refs: refValues } };
    },
  };
}

/** The cell's text after trimming, `default`, `map` and `other`; undefined when empty. */
function cellText(cs: ColumnSpec, get: Getter, field: string, normalised: Map<string, Map<string, number>>, others: Map<string, Map<string, number>>) {
  const map = cs.map;
  return (cells: readonly string[]): string | undefined => {
    let t = cs.value !== undefined ? String(cs.value) : get(cells)?.trim();
    if (!t) t = cs.default !== undefined ? String(cs.default) : undefined;
    if (t === undefined) return undefined;
    if (map && Object.hasOwn(map, t)) {
      const to = map[t];
      const mapped = to === null || to === undefined ? undefined : String(to);
      if (mapped !== t) countNormalised(normalised, field, t, mapped);
      return mapped;
    }
    if (cs.other !== undefined) {
      let values = others.get(field);
      if (!values) others.set(field, (values = new Map()));
      values.set(t, (values.get(t) ?? 0) + 1);
      return String(cs.other);
    }
    return t;
  };
}

function countNormalised(n: Map<string, Map<string, number>>, field: string, from: string, to: string | undefined) {
  let pairs = n.get(field);
  if (!pairs) n.set(field, (pairs = new Map()));
  const pair = `'${from}' → ${to === undefined ? 'empty' : `'${to}'`}`;
  pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
}

/** Fills fields that follow from others when the mapping leaves them out. */
function derive(object: string, values: Record<string, StoredValue>, externalId: string, fields: Record<string, FieldSpec>): void {
  if ('name' in fields && fields.name?.required && values.name == null) values.name = externalId;
  if (object === 'order_lines' && values.amount == null && typeof values.quantity === 'number' && typeof values.unit_price === 'number') {
    // Rounded to a millionth so that 6 × 2.55 is 15.3, not 15.299999999999999.
    values.amount = Math.round(values.quantity * values.unit_price * 1e6) / 1e6;
  }
}

/** Rules that span fields of one record; the reason a record breaks one, or undefined. */
export function checkRecord(object: string, v: Record<string, StoredValue>): string | undefined {
  if (object === 'survey_answers' && typeof v.score === 'number') {
    const [lo, hi] = v.kind === 'nps' ? [0, 10] : [1, 5];
    if (v.score < lo || v.score > hi) return `score ${v.score} is outside ${lo}–${hi} for a ${v.kind} answer`;
  }
  if (object === 'tickets' && v.opened_at instanceof Date) {
    for (const f of ['first_response_at', 'resolved_at'] as const) {
      const t = v[f];
      if (t instanceof Date && t < v.opened_at) return `${f} is before opened_at`;
    }
  }
  return undefined;
}

function emptyToNull(v: string | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function missingColumn(label: string, name: string, where: string, header: readonly string[], delimiter: string): CrmPulseError {
  const only = header.length === 1 ? header[0]! : undefined;
  const guess = only && [';', '\t', '|', ','].find((d) => d !== delimiter && only.includes(d));
  if (guess) {
    const shown = guess === '\t' ? '\\t' : guess;
    return new CrmPulseError('input', `[csv] ${label}:1: the header is one column '${only.slice(0, 60)}'; the file looks '${shown}'-delimited`, {
      hint: `set delimiter: '${shown}' for this file in the config`,
    });
  }
  return new CrmPulseError('input', `[csv] ${label}:1: ${where} names column '${name}', which the header lacks; header: ${header.join(', ')}`, {
    hint: 'correct the column name in the config, or check that this is the right file',
  });
}
