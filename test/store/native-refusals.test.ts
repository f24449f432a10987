// The refusal of native blocks kept per workspace, on both engines: the first refusal is kept
// with its time (UTC, whatever the process's time zone), and it can be forgotten.
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.ts';
import { openDatabase, type Database } from '../../src/store/open-database.ts';
import { clearNativeRefusal, markNativeRefusal, readNativeRefusal } from '../../src/store/native-refusals.ts';
import { ENGINES, type TestDatabase } from '../helpers/databases.ts';

describe.each(ENGINES)('native block refusals on $engine', ({ create }) => {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    await test?.drop();
  });

  it('keeps the first refusal of each workspace, with its time, until it is cleared', async () => {
    test = await create();
    db = await openDatabase(test.url);
    await migrate(db);
    expect(await readNativeRefusal(db, 'T0TEAM')).toBeUndefined();
    await markNativeRefusal(db, 'T0TEAM', '[slack] chat.postMessage: invalid_blocks', new Date('2026-12-07T06:10:00.123Z'));
    await markNativeRefusal(db, 'T0TEAM', '[slack] chat.update: invalid_blocks', new Date('2026-12-08T00:00:00Z'));
    expect(await readNativeRefusal(db, 'T0TEAM')).toEqual({
      reason: '[slack] chat.postMessage: invalid_blocks',
      refusedAt: new Date('2026-12-07T06:10:00.123Z'),
    });
    expect(await readNativeRefusal(db, 'T0OTHER')).toBeUndefined();
    expect(await clearNativeRefusal(db, 'T0TEAM')).toBe(1);
    expect(await readNativeRefusal(db, 'T0TEAM')).toBeUndefined();
  });
});
