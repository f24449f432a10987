import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatBacktest } from '../../src/cli/alert-commands.ts';
import { runCliCaptured } from '../helpers/cli.ts';

const root = new URL('../../', import.meta.url);

describe('small things a new user meets at the command line', () => {
  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
    expect(await runCliCaptured(['--version'], {})).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('config schema | head: a reader that closes the pipe early ends it quietly, without an EPIPE stack trace', async () => {
    // The real bin in a real process: only there does stdout become a pipe that can break.
    const child = spawn(process.execPath, ['bin/crm-pulse.js', 'config', 'schema'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.stdout.destroy(); // as head does once it has its lines; here before the first write, so the write must fail
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('backtest writes the peak with thousands separators', () => {
    const report = {
      rule: 'won_revenue_drop',
      kpi: 'won_revenue',
      from: new Date('2017-01-01T00:00:00Z'),
      to: new Date('2017-12-31T00:00:00Z'),
      ticks: 12,
      notifications: 2,
      breaches: [],
      episodes: [
        {
          seriesKey: '',
          startedAt: new Date('2017-04-01T00:00:00Z'),
          startPeriod: '2017-03',
          durationMs: 86_400_000 * 30,
          severity: 'critical' as const,
          peak: 721932,
        },
      ],
    };
    expect(formatBacktest(report, 'UTC').split('\n').at(-1)).toMatch(/ 721,932$/);
    // With its KPI, the peak is written in the KPI's unit and currency.
    expect(formatBacktest(report, 'UTC', { unit: 'currency', currency: 'EUR' }).split('\n').at(-1)).toMatch(/ €721,932$/);
    expect(
      formatBacktest({ ...report, episodes: [{ ...report.episodes[0]!, peak: 0.412 }] }, 'UTC', { unit: 'percent' })
        .split('\n')
        .at(-1),
    ).toMatch(/ 41\.2%$/);
  });
});
