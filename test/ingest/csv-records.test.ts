import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { csvRecords, type CsvRecord } from '../../src/ingest/csv/csv-records.ts';

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function all(text: string, size = 7, delimiter = ','): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const batch of csvRecords(chunksOf(text, size), delimiter)) out.push(...batch);
  return out;
}

describe('csvRecords', () => {
  it('splits plain, quoted, multi-line and CRLF records, whatever the chunk boundaries', async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y",3\r\n2,"he said ""hi""",\r\n3,"two\nlines",z\n\n4,,\n';
    for (const size of [1, 2, 3, 5, 64]) {
      const records = await all(text, size);
      expect(records.map((r) => [r.line, r.cells])).toEqual([
        [1, ['a', 'b', 'c']],
        [2, ['1', 'x, y', '3']],
        [3, ['2', 'he said "hi"', '']],
        [4, ['3', 'two\nlines', 'z']],
        [7, ['4', '', '']],
      ]);
      expect(records[1]!.raw).toBe('1,"x, y",3');
    }
  });
  it('reads a last line without a line break', async () => {
    expect((await all('a,b\n1,2', 3)).map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
  it('rejects malformed quoting on its line and resumes on the next', async () => {
    const records = await all('a,b\n1,x"y\n2,"ok"z\n3,fine\n4,"never closed\n5,after\n', 4);
    expect(records.map((r) => [r.line, r.cells ?? null, r.error ?? null])).toEqual([
      [1, ['a', 'b'], null],
      [2, null, 'a quote inside an unquoted field at line 2'],
      [3, null, 'text follows a closing quote at line 3'],
      [4, ['3', 'fine'], null],
      [5, null, 'a quoted field is not closed at line 5'],
      [6, ['5', 'after'], null],
    ]);
    expect(records[4]!.raw).toBe('4,"never closed');
  });
  it('honours another delimiter', async () => {
    expect((await all('a;b\n"1;2";3\n', 3, ';')).map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
  });
});

// The bundled datasets, read by csvRecords and by csv-parse, must give the same records.
async function compareWithCsvParse(file: string, gzip: boolean): Promise<number> {
  const stream = () => (gzip ? createReadStream(file).pipe(createGunzip()) : createReadStream(file));
  const ours = stream();
  ours.setEncoding('utf8');
  const mine = csvRecords(ours as AsyncIterable<string>, ',')[Symbol.asyncIterator]();
  let pending: CsvRecord[] = [];
  let count = 0;
  for await (const theirs of stream().pipe(parse({ bom: true, relax_column_count: true })) as AsyncIterable<string[]>) {
    if (pending.length === 0) pending = (await mine.next()).value as CsvRecord[];
    const record = pending.shift()!;
    if (JSON.stringify(record.cells) !== JSON.stringify(theirs)) throw new Error(`record ${count + 1} differs: ${record.raw}`);
    count++;
  }
  expect(pending.length === 0 && (await mine.next()).done).toBe(true);
  return count;
}

describe('csvRecords agrees with csv-parse on the real datasets', () => {
  it('Maven CRM sales_pipeline.csv (CRLF)', async () => {
    expect(await compareWithCsvParse('data/demo/maven-crm/sales_pipeline.csv', false)).toBe(8801);
  });
  it('Online Retail (gzip, quoted fields)', async () => {
    expect(await compareWithCsvParse('data/demo/online-retail/online_retail.csv.gz', true)).toBe(541_910);
  });
});
