// Soak benchmark: `npm run bench soak [--minutes 10]` runs one bot process for that long with its
// scheduled jobs on a sped-up clock and a signed `/kpi` command every 2 s through its HTTP receiver
// (test/load/soak-run.ts), samples its RSS every 10 s, and reports whether RSS stays flat (the
// median of the last third of the samples after a 60 s warm-up against the first third's) and the
// error count, which must be 0.
import { benchRow, type BenchCaseResult } from './bench-row.ts';
import { runSoak, type SoakResult } from '../test/load/soak-run.ts';

/** RSS may grow this much from the first third to the last third of the soak and still count as flat. */
export const FLAT_PCT = 10;

/** The lines `npm run bench soak` prints: RSS over time, the flatness check, what ran and every error. */
export function soakBenchReport(r: SoakResult): string {
  const minute = (s: { t: number }) => Math.floor(s.t / 60);
  const perMinute = new Map<number, number[]>();
  for (const s of r.samples) perMinute.set(minute(s), [...(perMinute.get(minute(s)) ?? []), s.rssMb]);
  const flat = r.growthPct <= FLAT_PCT;
  return [
    `soak: one bot process for ${(r.seconds / 60).toFixed(1)} minutes: ${r.evaluations} evaluation ticks, ${r.syncs} sync runs, ${r.notificationsPosted} alert cards posted, ` +
      `${r.commands.sent} /kpi commands (${r.commands.acked} acked, ${r.commands.answered} answered); its clock covered ${r.virtualDays} days of the Maven CRM data`,
    `  RSS by minute (MB, min–max of the samples): ${[...perMinute].map(([m, xs]) => `${m}: ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`).join(', ')}`,
    `  RSS median, first third after warm-up ${r.firstThirdMb.toFixed(0)} MB, last third ${r.lastThirdMb.toFixed(0)} MB: ${r.growthPct >= 0 ? '+' : ''}${r.growthPct.toFixed(1)}% ` +
      `(${flat ? 'flat' : 'NOT FLAT'}: the bound is +${FLAT_PCT}%); peak ${r.peakRssMb.toFixed(0)} MB`,
    `  errors: ${r.errors.length}${
      r.errors.length
        ? `\n${r.errors
            .slice(0, 20)
            .map((e) => `    ${e}`)
            .join('\n')}`
        : ''
    }`,
  ].join('\n');
}

/** The case for `npm run bench`: RSS at the end against the start of the soak, and the error count. */
export async function soakBenchCase(minutes = 10): Promise<BenchCaseResult> {
  const r = await runSoak({
    seconds: minutes * 60,
    warmupSeconds: Math.min(60, minutes * 10),
    sampleEverySeconds: 10,
    commandEveryMs: 2000,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const rows = [
    benchRow({
      case: 'soak',
      measured: `RSS median, last third of ${minutes} min (${r.evaluations} ticks, ${r.commands.sent} commands)`,
      unit: 'MB',
      value: r.lastThirdMb,
      baseline: 'first third after warm-up',
      baselineValue: r.firstThirdMb,
      peakRssMb: r.peakRssMb,
    }),
    benchRow({
      case: 'soak',
      measured: `errors in ${minutes} min (logs, commands, Slack, outbox)`,
      unit: 'count',
      value: r.errors.length,
      peakRssMb: r.peakRssMb,
    }),
  ];
  return { rows, detail: soakBenchReport(r), raw: r };
}
