import { afterEach, describe, expect, it } from 'vitest';
import { metricsSnapshot } from '../../src/store/metrics-snapshot.ts';
import type { Database } from '../../src/store/open-database.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

const T = new Date('2024-04-01T09:00:00Z');

describe.each(ENGINES)('metricsSnapshot on $engine', ({ create }) => {
  let test: MigratedDb | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await test?.close();
  });
  const open = async () => {
    test = await migratedDb(create);
    db = test.db;
    return db;
  };
  const episode = (d: Database, rule: string, severity: string, endedAt: Date | null) =>
    d.prisma.alertEpisode.create({
      data: { rule, seriesKey: '', kpi: 'won_revenue', severity, currentSeverity: severity, startedAt: T, endedAt, seen: '[]', summary: 's' },
    });
  const series = (d: Database, rule: string, state: string) =>
    d.prisma.alertSeries.create({ data: { rule, seriesKey: '', kpi: 'won_revenue', state, since: T, updatedAt: T } });
  const queued = (d: Database, episodeId: number, key: string, status: string) =>
    d.prisma.alertOutbox.create({ data: { dedupKey: key, episodeId, channel: '#alerts', event: 'firing', payload: '{}', status, notBefore: T, createdAt: T } });

  it('counts series by state, open episodes by severity and outbox rows by status, with a digest outbox only when it exists', async () => {
    const d = await open();
    await series(d, 'a', 'firing');
    await series(d, 'b', 'firing');
    await series(d, 'c', 'pending');
    const open1 = await episode(d, 'a', 'critical', null);
    await episode(d, 'b', 'warning', null);
    await episode(d, 'old', 'critical', T);
    await queued(d, open1.id, 'k1', 'sent');
    await queued(d, open1.id, 'k2', 'pending');
    await queued(d, open1.id, 'k3', 'pending');
    // A stand-in with the one column the snapshot reads, whatever the digest migration holds.
    await d.sql.exec('DROP TABLE IF EXISTS digest_outbox');
    const alertOnly = await metricsSnapshot(d);
    expect(alertOnly).toEqual({
      alertSeries: { firing: 2, pending: 1 },
      openEpisodes: { critical: 1, warning: 1 },
      outbox: [
        { outbox: 'alert', status: 'pending', count: 2 },
        { outbox: 'alert', status: 'sent', count: 1 },
      ],
    });
    await d.sql.exec(
      "CREATE TABLE digest_outbox (id INTEGER PRIMARY KEY, status TEXT NOT NULL); INSERT INTO digest_outbox (id, status) VALUES (1, 'pending'), (2, 'sent'), (3, 'sent')",
    );
    expect((await metricsSnapshot(d)).outbox.filter((o) => o.outbox === 'digest')).toEqual([
      { outbox: 'digest', status: 'pending', count: 1 },
      { outbox: 'digest', status: 'sent', count: 2 },
    ]);
  });
});
