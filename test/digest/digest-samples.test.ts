// Issue 14, item 4 in the digest: "NPS 100.0, +73.3" for a week with a handful of answers was the
// most unusual KPI and "on track", and a row showing "–" was "on track" too. A small CSV of NPS
// answers whose figures are written out below: twelve weeks of 40 answers, then one of 3 promoters.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { digestReply } from '../../src/answers/digest-reply.ts';
import type { ReplyBlock } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

/** Week w (0 = 2024-01-01, a Monday) has 40 answers: 14 + w mod 3 promoters (10), 8 detractors (3), the rest passives (8). */
function answersCsv(): string {
  const lines = ['id,kind,score,answered_at'];
  let id = 0;
  const day = (w: number, d: number) => new Date(Date.UTC(2024, 0, 1 + 7 * w + d, 10)).toISOString();
  for (let w = 0; w < 12; w++) {
    const promoters = 14 + (w % 3);
    for (let i = 0; i < 40; i++) lines.push(`${++id},nps,${i < promoters ? 10 : i < promoters + 8 ? 3 : 8},${day(w, i % 5)}`);
  }
  // Week 12 (2024-W13): three answers, all promoters: NPS 100 on n = 3.
  for (let i = 0; i < 3; i++) lines.push(`${++id},nps,10,${day(12, i)}`);
  return `${lines.join('\n')}\n`;
}

const CONFIG = `
timezone: UTC
sources:
  surveys:
    kind: csv
    files:
      - object: survey_answers
        path: answers.csv
        key: id
        columns: { kind: kind, score: score, answered_at: answered_at }
targets:
  nps: { value: 15, by: '2024-12-31', from: '2024-01-01', grain: year }
`;

describe('sample sizes in the weekly digest', () => {
  let db: TestDatabase;
  let app: App;
  beforeAll(async () => {
    const dir = tempFiles({ 'answers.csv': answersCsv() });
    writeFileSync(join(dir, 'crm-pulse.yaml'), CONFIG);
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml') }), silentLogger());
    await app.ingest('surveys');
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const npsRow = (blocks: readonly ReplyBlock[], title = 'Net Promoter Score') =>
    blocks.find((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table')!.rows.find((r) => r[0] === title)!;

  it('a week of 3 answers shows NPS 100 with n, marked, never most unusual and never on or off track', async () => {
    const digest = await app.digests.preview(undefined, new Date('2024-04-01T09:00:00Z'));
    expect(digest.period.label).toBe('2024-W13');
    const nps = digest.kpis.find((k) => k.key === 'nps')!;
    // 100·(3 − 0)/3 = 100 on n = 3; the week before (w = 11): 14 + 2 = 16 promoters, 8 detractors of 40 → 20.
    expect([nps.value, nps.previous, nps.n, nps.low]).toEqual([100, 20, 3, true]);
    expect(nps.z).toBeNull();
    expect(digest.movers).not.toContain('nps');
    // The year's NPS meets 15, so before the fix the row said "on track".
    expect(nps.target?.onTrack).toBeNull();
    const row = npsRow(digestReply(app, digest, 'en').blocks);
    expect(row.slice(1)).toEqual(['100.0*', '3', '+80.0', '15.0 by 2024-12-31', 'small sample (n 3 < 30)']);
    expect(npsRow(digestReply(app, digest, 'zh').blocks, '净推荐值').at(-1)).toBe('样本少（n 3 < 30）');
  });

  it('a week without answers shows "–" and is never on track', async () => {
    const digest = await app.digests.preview(undefined, new Date('2024-04-08T09:00:00Z'));
    const nps = digest.kpis.find((k) => k.key === 'nps')!;
    expect([nps.value, nps.n]).toEqual([null, 0]);
    expect(nps.target?.onTrack).toBeNull();
    expect(npsRow(digestReply(app, digest, 'en').blocks)[4]).toBe('15.0 by 2024-12-31');
  });
});
