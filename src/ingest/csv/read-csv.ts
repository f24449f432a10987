import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse, type CsvError } from 'csv-parse';
import { CrmPulseError } from '../../lib/errors.ts';

/** One data row of a CSV file, with its line number and its text as written. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[] | undefined;
  readonly raw: string;
  /** set when the row could not be parsed (a broken quote, say); cells is then undefined */
  readonly error?: string;
}

/** How to read a CSV file. */
export interface CsvReadOptions {
  readonly delimiter: string;
  readonly encoding: BufferEncoding;
  /** called with each chunk of bytes read from disk (compressed or plain), for progress and hashing */
  readonly onChunk?: (chunk: Buffer, bytesRead: number, bytesTotal: number) => void;
}

/** An open CSV file: its header, then its rows as a stream. */
export interface CsvFile {
  readonly header: readonly string[];
  readonly rows: AsyncIterable<CsvRow>;
}

/**
 * Opens a plain or gzip CSV file and streams its rows; the file is never loaded whole. A row
 * that cannot be parsed is yielded with `error` set rather than ending the read.
 * @example const { header, rows } = await openCsv('deals.csv.gz', { delimiter: ',', encoding: 'utf8' });
 */
export async function openCsv(path: string, options: CsvReadOptions): Promise<CsvFile> {
  const size = fileSize(path);
  const source = createReadStream(path);
  let bytes = 0;
  source.on('data', (chunk) => {
    bytes += chunk.length;
    options.onChunk?.(chunk as Buffer, bytes, size);
  });
  const skipped: CsvRow[] = [];
  const parser = parse({
    bom: true,
    delimiter: options.delimiter,
    encoding: options.encoding,
    relax_column_count: true,
    info: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      skipped.push({ line: (err as { lines?: number } | undefined)?.lines ?? 0, cells: undefined, raw: raw ?? '', error: err?.message ?? 'unreadable row' });
      return undefined;
    },
  });
  const input = isGzip(path) ? source.pipe(createGunzip()) : source;
  input.on('error', (error: Error) => parser.destroy(error));
  input.pipe(parser);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number }; raw: string }>;

  const first = await iterator.next().catch((error: Error) => {
    throw new CrmPulseError('input', `[csv] ${path}: cannot read: ${error.message}`, { cause: error });
  });
  if (first.done) throw new CrmPulseError('input', `[csv] ${path}: the file is empty; a header line is expected`);
  const header = first.value.record.map((h) => h.trim());

  async function* rows(): AsyncGenerator<CsvRow> {
    try {
      while (true) {
        const next = await iterator.next();
        while (skipped.length > 0) yield skipped.shift()!;
        if (next.done) break;
        yield { line: next.value.info.lines, cells: next.value.record, raw: next.value.raw.replace(/\r?\n$/, '') };
      }
    } catch (error) {
      throw new CrmPulseError('input', `[csv] ${path}: reading stopped: ${(error as Error).message}`, {
        hint: 'the file may be truncated or not a CSV file; rows before this point are kept',
        cause: error,
      });
    } finally {
      source.destroy();
    }
  }
  return { header, rows: rows() };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    throw new CrmPulseError('input', `[csv] ${path}: file not found`, { hint: 'check the path in the config (relative paths start at the config file)', cause: error });
  }
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
