// Where the bot's reads go and what tells the data's version (issue 16), on both engines: before
// offload() SQLite reads stay on the main connection and there is no version; after it, reads
// outside a transaction come from the reader thread (they do not see a transaction's uncommitted
// rows, reads inside it do), and every commit changes the version. PostgreSQL's version is its WAL
// position, which every commit advances.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { readRouting, type ReadRouting } from '../../src/store/read-routing.ts';
import { ENGINES, type TestDatabase } from '../helpers/databases.ts';

const count = async (r: ReadRouting) => Number((await r.db.sql.all<{ n: number }>(`SELECT count(*) AS n FROM "sources"`))[0]!.n);
const add = (key: string) => [`INSERT INTO "sources" ("key", "kind", "name") VALUES (?, ?, ?)`, [key, 'csv', key]] as const;

describe.each(ENGINES)('read routing on $engine', ({ engine, create }) => {
  let test: TestDatabase;
  let r: ReadRouting;
  beforeAll(async () => {
    test = await create();
    r = readRouting(await openDatabase(test.url));
    await migrate(r.db);
  });
  afterAll(async () => {
    await r?.db.close();
    await test?.drop();
  });

  it('every commit changes the data version once reads are offloaded', async () => {
    if (engine === 'sqlite') expect(await r.dataVersion()).toBeUndefined();
    r.offload({ threads: 1 });
    const v0 = await r.dataVersion();
    expect(v0).toMatch(engine === 'sqlite' ? /^sqlite:\d+$/ : /^pg:[0-9A-F]+\/[0-9A-F]+$/);
    await r.db.sql.run(...add('a'));
    const v1 = await r.dataVersion();
    expect(v1).not.toBe(v0);
    await r.db.prisma.source.update({ where: { key: 'a' }, data: { name: 'A' } });
    expect(await r.dataVersion()).not.toBe(v1);
  });

  it('reads outside a transaction see only committed rows; reads inside it see its own', async () => {
    const before = await count(r);
    let outside = -1;
    await r.db.sql.transaction(async (tx) => {
      await tx.run(...add('b'));
      expect(Number((await tx.all<{ n: number }>(`SELECT count(*) AS n FROM "sources"`))[0]!.n)).toBe(before + 1);
      outside = await count(r);
    });
    expect(outside).toBe(before);
    expect(await count(r)).toBe(before + 1);
  });
});
