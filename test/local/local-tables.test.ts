// Local mode prints the same table Slack shows (issue 17): the monospaced text of the reply's
// table, with the values of the fixture's CSV (alert-fixture.ts: West won 40 in 2024-03 against
// 100 in 2024-02, East 100 in both), whatever Slack would have drawn natively.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandService } from '../../src/answers/command-service.ts';
import type { ReplyBlock } from '../../src/answers/reply.ts';
import { tableText } from '../../src/answers/table-text.ts';
import { formatReply } from '../../src/local/format-reply.ts';
import { renderReply } from '../../src/slack/blocks/render-reply.ts';
import { alertFixture, at } from '../alerts/alert-fixture.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';

describe('local mode tables', () => {
  let f: Awaited<ReturnType<typeof alertFixture>>;
  let out: string;
  beforeAll(async () => {
    f = await alertFixture();
    out = mkdtempSync(join(tmpdir(), 'crm-pulse-tables-'));
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await f.close();
  });

  it.each(['en', 'zh'] as const)('a breakdown prints as the aligned table Slack falls back to (%s)', async (locale) => {
    const reply = await commandService(f.app).run('won_revenue 2024-03 by region', { userId: 'local', locale, isAdmin: true, now: at('2024-04-01T10:00:00Z') });
    const table = reply.blocks.find((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table')!;
    const { text } = await formatReply(reply, { outDir: out, render: renderChartPng });
    const printed = tableText(table.columns, table.rows)
      .split('\n')
      .map((l) => `  ${l}`);
    expect(text).toContain(printed.join('\n'));
    expect(printed.find((l) => l.includes('West'))).toMatch(/West +40 +100 +−60$/);
    expect(printed.find((l) => l.includes('East'))).toMatch(/East +100 +100 +±0$/);
    // Slack's text form of the same reply holds the same lines in its code block.
    expect(JSON.stringify(renderReply(reply).blocks)).toContain(JSON.stringify(tableText(table.columns, table.rows)).slice(1, -1));
  });
});
