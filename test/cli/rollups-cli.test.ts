// `crm-pulse rollups rebuild` and `rollups check` (issue 18, part 4), through the CLI entry point:
// a rebuild writes one row per day and dimension value that has deals, a changed rollup row is
// reported as drift (exit 1, with what to do), and a rebuild repairs it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempFiles } from '../helpers/import.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { dealWriter, drawDeals, wonIn, type Deal } from '../kpi/rollup-fixture.ts';

describe('crm-pulse rollups', () => {
  const config = join(tempFiles({}), 'crm-pulse.yaml');
  writeFileSync(
    config,
    `timezone: UTC
alerts:
  rules:
    revenue_by_owner: { kpi: won_revenue, grain: month, by: owner, conditions: [{ type: threshold, below: 0 }] }
`,
  );
  let test: MigratedDb;
  let deals: Deal[];
  const run = (...argv: string[]) => runCliCaptured(['-c', config, 'rollups', ...argv], { DATABASE_URL: test.url });
  beforeAll(async () => {
    test = await migratedDb();
    deals = drawDeals(200, 11);
    const writer = await dealWriter(test.db);
    await writer.write(deals);
    await writer.close();
    await test.db.close();
  }, 60_000);
  afterAll(() => test.drop());

  it('rebuild writes a row per day (and owner) with won deals, check finds a changed row, rebuild repairs it', async () => {
    const rebuilt = await run('rebuild', '--kpi', 'won_revenue');
    expect(rebuilt.code).toBe(0);
    const won = wonIn(deals, new Date(0), new Date(8.64e15));
    const days = new Set(won.map((d) => d.closedAt!.toISOString().slice(0, 10)));
    const ownerDays = new Set(won.map((d) => `${d.closedAt!.toISOString().slice(0, 10)}|${d.owner}`));
    expect(rebuilt.out).toMatch(new RegExp(`rebuilt won_revenue\\.revenue totals \\(key [0-9a-f]{32}\\): \\d+ days, ${days.size} rows, \\d+\\.\\d\\d s`));
    expect(rebuilt.out).toMatch(new RegExp(`rebuilt won_revenue\\.revenue by owner \\(key [0-9a-f]{32}\\): \\d+ days, ${ownerDays.size} rows`));
    expect(rebuilt.out).toMatch(/Rebuilt 2 rollups from raw rows: \d+ days, \d+ rows in \d+\.\d\d s\./);
    expect((await run('check', '--kpi', 'won_revenue')).out).toContain('Checked 2 rollups over');

    // A row changed behind the rollup's back: a day's revenue plus 5.
    const day = won
      .find((d) => d.amount !== null)!
      .closedAt!.toISOString()
      .slice(0, 10);
    const truth = won.filter((d) => d.closedAt!.toISOString().startsWith(day)).reduce((s, d) => s + (d.amount ?? 0), 0);
    const db = await openDatabase(test.url);
    const key = /won_revenue\.revenue totals \(key ([0-9a-f]{32})\)/.exec(rebuilt.out)![1]!;
    expect(await db.sql.run('UPDATE "kpi_rollups" SET "v" = "v" + 5 WHERE "key" = ? AND "day" = ?', [key, day])).toBe(1);
    await db.close();
    // Enough days that every stored day is in the sample.
    const drifted = await run('check', '--kpi', 'won_revenue', '--days', '1000');
    expect(drifted.code).toBe(1);
    expect(drifted.out).toContain(`drift: won_revenue.revenue totals (key ${key}) day ${day} dimension '': rollup ${truth + 5}, raw ${truth}`);
    expect(drifted.out).toContain('1 values of 2 rollups drifted from raw rows. Run `crm-pulse rollups rebuild` to rebuild them from raw rows.');

    expect((await run('rebuild')).code).toBe(0);
    const repaired = await run('check', '--days', '1000');
    expect(repaired.code).toBe(0);
    expect(repaired.out).toMatch(/Checked \d+ rollups over \d+ days: no drift\./);
  });

  it('with CRM_PULSE_ROLLUPS=on, crm-pulse kpi answers from the rollups, the same numbers as from raw rows', async () => {
    const kpi = (rollups: 'on' | 'off') =>
      runCliCaptured(['-c', config, 'kpi', 'won_revenue', '--period', 'month', '--count', '6', '--by', 'owner', '--as-of', '2024-06-30', '--json'], {
        DATABASE_URL: test.url,
        CRM_PULSE_ROLLUPS: rollups,
      });
    const db = await openDatabase(test.url);
    await db.sql.run('DELETE FROM "kpi_rollups"');
    await db.sql.run('DELETE FROM "kpi_rollup_keys"');
    const off = await kpi('off');
    expect(off.code).toBe(0);
    expect(await db.sql.all('SELECT "key" FROM "kpi_rollup_keys"')).toEqual([]);
    const on = await kpi('on');
    expect(on.code).toBe(0);
    // Built on first use: the totals and the breakdown by owner.
    expect(await db.sql.all('SELECT "key" FROM "kpi_rollup_keys"')).toHaveLength(2);
    await db.close();
    type Value = { value: number | null };
    type Report = { rows: { period: { label: string }; current: Value; previous: Value }[]; breakdown: (Value & { key: string })[] };
    const [a, b] = [JSON.parse(off.out) as Report, JSON.parse(on.out) as Report];
    expect(b.rows.map((r) => r.period.label)).toEqual(a.rows.map((r) => r.period.label));
    expect(b.rows.length).toBe(6);
    for (const [i, r] of a.rows.entries()) {
      expect(b.rows[i]!.current.value).toBeCloseTo(r.current.value!, 6);
      expect(b.rows[i]!.previous.value).toBeCloseTo(r.previous.value!, 6);
    }
    // The fixture stores each owner's name in capitals (rollup-fixture.ts).
    expect(b.breakdown.map((x) => x.key).sort()).toEqual(['ANN', 'BOB', 'CY']);
    expect(b.breakdown.map((x) => x.key)).toEqual(a.breakdown.map((x) => x.key));
    for (const [i, x] of a.breakdown.entries()) expect(b.breakdown[i]!.value).toBeCloseTo(x.value!, 6);
    // And both are the sums of the drawn deals' amounts: June 2024, and its owners.
    const june = wonIn(deals, new Date(Date.UTC(2024, 5, 1)), new Date(Date.UTC(2024, 6, 1)));
    const sum = (list: Deal[]) => list.reduce((s, d) => s + (d.amount ?? 0), 0);
    expect(b.rows.find((r) => r.period.label === '2024-06')!.current.value).toBeCloseTo(sum(june), 6);
    for (const x of b.breakdown) expect(x.value).toBeCloseTo(sum(june.filter((d) => d.owner.toUpperCase() === x.key)), 6);
  });

  it('refuses a sample of no days, saying what to give', async () => {
    const bad = await run('check', '--days', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("[rollups] --days must be a whole number of days, 1 or more; got '0'");
  });
});
