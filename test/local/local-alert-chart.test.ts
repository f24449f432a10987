// Local mode writes each alert's chart, the one its Slack card carries, as a PNG under the out
// folder and prints its path with the notification; one event in several channels is one file.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { alertChartFile } from '../../src/cli/alert-chart-file.ts';
import { localNotifier } from '../../src/local/local-notifier.ts';
import { alertFixture, at } from '../alerts/alert-fixture.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('local mode alert charts', () => {
  it('writes the firing chart once under out/ and prints its path under each channel’s notification', async () => {
    const f = await alertFixture();
    closers.push(f.close);
    const out = join(f.dir, 'out');
    const printed: string[] = [];
    await f.app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    const report = await f.app.alerts.deliver(
      localNotifier(join(f.dir, 'n.jsonl'), (t) => printed.push(t), { chart: alertChartFile(f.app, out) }),
      at('2024-04-01T09:00:00Z'),
    );
    // The fixture's drop rule fires for West in 2024-03, critical: #alerts and #leads.
    expect(report.sent).toBe(2);
    const file = join(out, 'alert-won-revenue-1-firing-west-2024-03.png');
    expect(readdirSync(out)).toEqual(['alert-won-revenue-1-firing-west-2024-03.png']);
    expect(printed).toHaveLength(2);
    for (const p of printed) expect(p).toContain(`\n  📈 ${file}\n`);
    expect(existsSync(file)).toBe(true);
    expect((await sharp(file).metadata()).width).toBeGreaterThan(600);
  });
});
