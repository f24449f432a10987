import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { CrmPulseError } from '../../lib/errors.ts';
import { hash53 } from '../../lib/hash53.ts';
import type { CsvFileConfig, SourceConfig } from '../../config/config-schema.ts';
import type { RejectedInput } from '../../store/sync-log.ts';
import type { Connector, PendingRecord, ProgressListener, ReadBatch, SyncUnit, UnitRead } from '../connector.ts';
import { compileMapping, type MappedRow } from '../csv/compile-mapping.ts';
import { openCsv } from '../csv/read-csv.ts';
import { SeenKeys } from '../csv/seen-keys.ts';

/** Name of this connector in config (`kind: csv`) and in messages. */
export const DRIVER_NAME = 'csv';

/** Rows per batch handed to the store: one transaction each. */
const BATCH_SIZE = 5000;

/** A CSV file to import, with its mapping and the path shown to people. */
interface CsvUnit extends SyncUnit {
  readonly file: CsvFileConfig;
  readonly path: string;
  /** the source's currency, whose sign number cells may carry */
  readonly currency: string | undefined;
}

/** Options tests change; production uses the defaults. */
export interface CsvOptions {
  /** rows per batch handed to the store (default 5,000) */
  readonly batchSize?: number;
}

/**
 * Reads CSV exports through the declarative column mappings of the config. Each file is a unit;
 * the cursor is the SHA-256 of the file as stored on disk, a record of what was last imported.
 * Takes any source, so that code holding a config's source need not narrow it; a source of
 * another kind is refused.
 * @example csvConnector(config.sources['maven-crm'], '/path/to/config/dir')
 */
export function csvConnector(source: SourceConfig, baseDir: string, options: CsvOptions = {}): Connector {
  if (source.kind !== 'csv') throw new CrmPulseError('usage', `[csv] a ${source.kind} source is not a CSV source`);
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const units: CsvUnit[] = source.files.map((file) => {
    const path = isAbsolute(file.path) ? file.path : resolve(baseDir, file.path);
    const shown = relative(process.cwd(), path);
    return { object: file.object, label: shown.startsWith('..') ? path : shown, file, path, currency: source.currency };
  });
  return {
    kind: DRIVER_NAME,
    units: () => units,
    read: (unit, _cursor, onProgress) => readFile(unit as CsvUnit, batchSize, onProgress),
  };
}

async function readFile(unit: CsvUnit, batchSize: number, onProgress?: ProgressListener): Promise<UnitRead> {
  const { file, label } = unit;
  const hash = createHash('sha256');
  const csv = await openCsv(unit.path, {
    delimiter: file.delimiter,
    encoding: file.encoding,
    onChunk: (chunk, done, total) => {
      hash.update(chunk);
      onProgress?.(done, total);
    },
  });
  const mapping = compileMapping(file, csv.header, label, unit.currency);
  // A change of mapping changes every row's stored values, so it is part of each row's hash.
  const seed = hash53(JSON.stringify(file)) % 2 ** 32;
  const dedupe = duplicateFilter(file.duplicate_keys);
  let done = false;

  async function* batches(): AsyncGenerator<ReadBatch> {
    let records: PendingRecord[] = [];
    let rejects: RejectedInput[] = [];
    for await (const rows of csv.rows) {
      for (const row of rows) {
        const reason = row.error ?? (row.raw.includes('\uFFFD') ? `not valid ${file.encoding}; set encoding: latin1 if the file is Latin-1` : undefined);
        const mapped: MappedRow = reason ? { kind: 'unreadable', reason } : mapping.mapRow(row.line, row.cells!, hash53(row.raw, seed));
        if ('reason' in mapped) {
          rejects.push({ line: row.line, kind: mapped.kind, reason: mapped.reason, raw: ownText(row.raw) });
        } else {
          const dup = dedupe(mapped.record);
          if (typeof dup === 'string') rejects.push({ line: row.line, kind: 'duplicate', reason: dup, raw: ownText(row.raw) });
          else records.push(dup);
        }
        if (records.length + rejects.length >= batchSize) {
          yield { records, rejects };
          records = [];
          rejects = [];
        }
      }
    }
    if (records.length + rejects.length > 0) yield { records, rejects };
    done = true;
  }

  return {
    batches: batches(),
    cursor: () => (done ? `sha256:${hash.digest('hex')}` : undefined),
    notes: () => mapping.notes(),
  };
}

/**
 * A rejected row's own copy of its text. A row's text is a slice of the chunk it was read from,
 * and V8 keeps a slice as a pointer into the whole chunk, so rejects waiting to be saved (up to
 * 5,000) would keep most of the file's text alive: on Online Retail the live heap grew from 27 to
 * 45 MB, and V8 lets the heap grow to about four times what is live. UTF-16 round-trips any
 * string exactly.
 */
function ownText(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/**
 * Catches repeated keys within one file. An exact copy of an earlier row is always rejected;
 * a different row with a known key is rejected, or numbered (`key#2`) when the mapping says
 * keys repeat legitimately, as stock codes do within an invoice.
 */
function duplicateFilter(policy: 'reject' | 'number') {
  const seen = new SeenKeys();
  return (record: PendingRecord): PendingRecord | string => {
    const earlier = seen.add(record.externalId, record.contentHash, record.line, policy === 'number');
    if (earlier.length === 0) return record;
    const copy = earlier.find((row) => SeenKeys.sameContent(row.content, record.contentHash));
    if (copy) return `exact duplicate of line ${copy.line}`;
    if (policy === 'reject') return `duplicate key '${record.externalId}' (first on line ${earlier[0]!.line})`;
    return { ...record, externalId: `${record.externalId}#${earlier.length + 1}` };
  };
}
