import type { ForecastChartInput } from '../charts/forecast-chart.ts';
import type { Command } from './command.ts';
import type { CommandDeps } from './command-deps.ts';
import { forecastMessages } from './forecast-messages.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import { periodContaining } from '../kpi/periods.ts';
import type { KpiForecastSeries } from '../kpi/kpi-forecast.ts';
import { messages } from './messages.ts';
import { answerReply, chartBlock } from './reply-of.ts';
import type { CommandContext, Reply, ReplyBlock } from './reply.ts';

/**
 * `/kpi forecast <kpi> [by <dimension>] [next <n> <periods>]`: the forecast of the periods after
 * the last complete one, the method chosen and why, the 80% and 95% intervals, and a chart of the
 * history, the forecast and its bands (the target drawn when one is set at the same grain). With
 * `by`, one forecast per dimension value, the largest first, and the chart of the largest.
 */
export async function answerForecast(deps: CommandDeps, c: Extract<Command, { name: 'forecast' }>, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const f = forecastMessages(ctx.locale);
  const kpi = deps.kpis.get(c.kpi);
  const title = m.kpiTitle(kpi);
  const forecast = await deps.kpiForecast(kpi.key, { grain: c.grain, asOf: c.asOf, horizon: c.horizon, by: c.by, atDataEnd: true });
  const target = (await deps.targets(c.asOf, kpi.key)).find((t) => t.key === kpi.key && t.current.period.grain === c.grain);
  const show = (v: number | null) => formatKpiValue(v, kpi.unit, kpi.currency);
  const blocks: ReplyBlock[] = [{ kind: 'header', text: f.header(title, c.horizon, f.grain(c.grain, c.horizon)) }];
  const describe = (s: KpiForecastSeries) => {
    const h = s.history;
    const fc = s.forecast;
    const lines = [f.method(fc.model, fc.why, fc.candidates)];
    if (!fc.seasonal && forecast.seasonPeriod > 1 && h.values.length < 2 * forecast.seasonPeriod) {
      lines.push(f.noSeason(h.values.length, f.grain(c.grain, h.values.length), forecast.seasonPeriod));
    }
    blocks.push({ kind: 'text', text: lines.join('\n') });
    blocks.push({
      kind: 'table',
      columns: f.columns,
      rows: fc.points.map((p, i) => [
        s.periods[i]!.label,
        show(p.mean),
        p.lo80 === null ? '–' : `${show(p.lo80)} – ${show(p.hi80)}`,
        p.lo95 === null ? '–' : `${show(p.lo95)} – ${show(p.hi95)}`,
      ]),
    });
    const notes = [f.history(h.values.length, f.grain(c.grain, h.values.length), h.periods[0]!.label, h.periods.at(-1)!.label)];
    const left = h.notes.find((n) => n.includes('before the data begins'));
    if (left) notes.push(f.left(Number.parseInt(left, 10)));
    if (forecast.dataEnd) notes.unshift(f.stale(periodContaining(forecast.dataEnd, 'day', deps.calendar).label));
    return notes.join(' · ');
  };
  let context = '';
  for (const s of forecast.series) {
    if (forecast.by !== undefined) blocks.push({ kind: 'text', text: `*${f.seriesHeader(m.dimension(forecast.by), s.key)}*` });
    const note = describe(s);
    if (!context) context = note;
  }
  const main = forecast.series[0]!;
  const chart: ForecastChartInput = {
    kind: 'forecast',
    lang: ctx.locale,
    title: forecast.by === undefined ? title : `${title} · ${m.dimension(forecast.by)} ${main.key}`,
    period: `${main.history.periods[0]!.label} – ${main.periods.at(-1)!.label}`,
    unit: kpi.unit,
    currency: kpi.currency,
    method: main.forecast.model,
    history: main.history.periods.map((p, i) => ({ period: p.label, value: main.history.values[i]! })),
    forecast: main.forecast.points.map((p, i) => ({ period: main.periods[i]!.label, mean: p.mean, lo80: p.lo80, hi80: p.hi80, lo95: p.lo95, hi95: p.hi95 })),
    ...(target && forecast.by === undefined ? { target: target.target } : {}),
  };
  blocks.push(chartBlock(chart, f.chartAlt(title, main.forecast.model)));
  blocks.push({ kind: 'context', text: `${context} · ${m.timeZone(deps.calendar.timeZone)}\n${f.caveat}` });
  const first = main.forecast.points[0]!;
  return answerReply(`${f.header(title, c.horizon, f.grain(c.grain, c.horizon))}: ${main.periods[0]!.label} ${show(first.mean)}`, blocks, post, m.locale);
}
