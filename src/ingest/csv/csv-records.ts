/** One record of a CSV text, with its first line number and its text as written. */
export interface CsvRecord {
  readonly line: number;
  /** the fields; undefined when the record could not be parsed */
  readonly cells: string[] | undefined;
  readonly raw: string;
  /** why the record could not be parsed */
  readonly error?: string;
}

/** A quoted field longer than this many lines is taken for a stray quote, not a real field. */
const MAX_QUOTED_LINES = 200;

/**
 * Splits CSV text, arriving in chunks, into records (RFC 4180: quoted fields may hold the
 * delimiter, doubled quotes and line breaks; lines end in LF or CRLF). Yields the records of each
 * chunk as one array, so that the caller's loop stays synchronous.
 *
 * Hand-written because it is the import's hot loop: on the 541,909-line Online Retail file it
 * takes about a third of csv-parse's time with line numbers and raw text, which csv-parse needs
 * its `info` and `raw` options for (see bench/ingest.ts). test/ingest/csv-records.test.ts checks
 * it against csv-parse on both bundled datasets.
 *
 * A malformed record (a quote inside an unquoted field, text after a closing quote, a quoted
 * field that never closes) is yielded with `error` set, and reading resumes on the next line.
 * @example for await (const records of csvRecords(chunks, ',')) for (const r of records) r.cells
 */
export async function* csvRecords(chunks: AsyncIterable<string>, delimiter: string): AsyncGenerator<CsvRecord[]> {
  let rest = '';
  let line = 1;
  let first = true;
  for await (const chunk of chunks) {
    let text = rest + chunk;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const out: CsvRecord[] = [];
    const end = scan(text, delimiter, line, false, out);
    line = end.line;
    rest = text.slice(end.pos);
    if (out.length) yield out;
  }
  if (rest.length > 0) {
    const out: CsvRecord[] = [];
    scan(rest, delimiter, line, true, out);
    if (out.length) yield out;
  }
}

/** Parses whole records from `text` into `out`; returns where the unparsed tail starts. */
function scan(text: string, delimiter: string, line: number, final: boolean, out: CsvRecord[]): { pos: number; line: number } {
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) {
      if (!final) break;
      nl = n;
    }
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const lineText = text.slice(pos, end);
    if (lineText.indexOf('"') === -1) {
      // Fast path: no quotes, so the fields are what lies between delimiters.
      if (lineText.length > 0) out.push({ line, cells: lineText.split(delimiter), raw: lineText });
      pos = nl + 1;
      line++;
      continue;
    }
    const r = quoted(text, pos, delimiter, final);
    if (r === undefined) break; // the record runs past this chunk
    out.push(r.error ? { line, cells: undefined, raw: r.raw, error: `${r.error} at line ${line}` } : { line, cells: r.cells, raw: r.raw });
    line += r.lines;
    pos = r.next;
  }
  return { pos, line };
}

interface Quoted {
  cells: string[];
  raw: string;
  /** lines the record spans */
  lines: number;
  next: number;
  error?: string;
}

/** Parses one record that contains quotes, starting at `start`; undefined if it needs more text. */
function quoted(text: string, start: number, delimiter: string, final: boolean): Quoted | undefined {
  const cells: string[] = [];
  const n = text.length;
  let pos = start;
  let lines = 1;
  let field = '';
  while (true) {
    if (text[pos] === '"') {
      // A quoted field: up to the next quote not doubled.
      pos++;
      while (true) {
        const q = text.indexOf('"', pos);
        if (q === -1) {
          // Wait for more text, unless the field already runs too long to be real.
          if (!final && lines + countBreaks(text.slice(pos)) <= MAX_QUOTED_LINES) return undefined;
          return broken(text, start, 'a quoted field is not closed');
        }
        const piece = text.slice(pos, q);
        const breaks = countBreaks(piece);
        if (breaks > 0) {
          lines += breaks;
          if (lines > MAX_QUOTED_LINES) return broken(text, start, 'a quoted field is not closed');
        }
        field += piece;
        if (text[q + 1] === '"') {
          field += '"';
          pos = q + 2;
          continue;
        }
        if (q + 1 >= n && !final) return undefined;
        pos = q + 1;
        break;
      }
      const c = text[pos];
      if (pos < n && c !== delimiter && c !== '\n' && c !== '\r') {
        return broken(text, start, 'text follows a closing quote');
      }
    } else {
      // An unquoted field: up to the next delimiter or line end; a quote inside is an error.
      let stop = pos;
      while (stop < n) {
        const c = text[stop];
        if (c === delimiter || c === '\n' || c === '\r') break;
        if (c === '"') return broken(text, start, 'a quote inside an unquoted field');
        stop++;
      }
      if (stop >= n && !final) return undefined;
      field = text.slice(pos, stop);
      pos = stop;
    }
    cells.push(field);
    field = '';
    if (pos >= n) return { cells, raw: text.slice(start, pos), lines, next: pos };
    if (text[pos] === delimiter) {
      pos++;
      continue;
    }
    // The line ends here (LF or CRLF).
    const rawEnd = pos;
    if (text[pos] === '\r') pos++;
    if (pos >= n && !final) return undefined;
    if (text[pos] === '\n') pos++;
    return { cells, raw: text.slice(start, rawEnd), lines, next: pos };
  }
}

/** A record that cannot be parsed: reject its first line and carry on after it. */
function broken(text: string, start: number, error: string): Quoted {
  const nl = text.indexOf('\n', start);
  const end = nl === -1 ? text.length : nl;
  const raw = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
  return { cells: [], raw, lines: 1, next: nl === -1 ? text.length : nl + 1, error };
}

function countBreaks(s: string): number {
  let count = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) count++;
  return count;
}
