import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CrmPulseError } from '../../lib/errors.ts';
import { csvRecords, type CsvRecord } from './csv-records.ts';

/** One data row of a CSV file, with its line number and its text as written. */
export type CsvRow = CsvRecord;

/** How to read a CSV file. */
export interface CsvReadOptions {
  readonly delimiter: string;
  readonly encoding: BufferEncoding;
  /** called with each chunk of bytes read from disk (compressed or plain), for progress and hashing */
  readonly onChunk?: (chunk: Buffer, bytesRead: number, bytesTotal: number) => void;
}

/** An open CSV file: its header, then its rows in batches, as a stream. */
export interface CsvFile {
  readonly header: readonly string[];
  readonly rows: AsyncIterable<CsvRow[]>;
}

/**
 * Opens a plain or gzip CSV file and streams its rows; the file is never loaded whole. A row
 * that cannot be parsed is yielded with `error` set rather than ending the read.
 * @example const { header, rows } = await openCsv('deals.csv.gz', { delimiter: ',', encoding: 'utf8' });
 */
export async function openCsv(path: string, options: CsvReadOptions): Promise<CsvFile> {
  const size = fileSize(path);
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  source.on('data', (chunk) => {
    bytes += chunk.length;
    options.onChunk?.(chunk as Buffer, bytes, size);
  });
  const input = isGzip(path) ? source.pipe(createGunzip()) : source;
  source.on('error', (error) => input.destroy(error));
  input.setEncoding(options.encoding);
  const batches = csvRecords(input as AsyncIterable<string>, options.delimiter)[Symbol.asyncIterator]();

  const first = await batches.next().catch((error: Error) => {
    throw new CrmPulseError('input', `[csv] ${path}: cannot read: ${error.message}`, { cause: error });
  });
  const head = first.done ? undefined : first.value.shift();
  if (!head?.cells) {
    source.destroy();
    throw new CrmPulseError(
      'input',
      `[csv] ${path}: ${head ? `the header line cannot be parsed: ${head.error}` : 'the file is empty; a header line is expected'}`,
    );
  }
  const header = head.cells.map((h) => h.trim());

  async function* rows(): AsyncGenerator<CsvRow[]> {
    try {
      if (!first.done && first.value.length) yield first.value;
      while (true) {
        const next = await batches.next();
        if (next.done) break;
        yield next.value;
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
    throw new CrmPulseError('input', `[csv] ${path}: file not found`, {
      hint: 'check the path in the config (relative paths start at the config file)',
      cause: error,
    });
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
