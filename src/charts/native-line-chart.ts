import type { DigestChartInput } from './digest-chart.ts';
import { nativeChart, type NativeChart } from './native-chart.ts';
import type { TrendChartInput } from './trend-chart.ts';

/**
 * The values of a trend as a native line chart, for an alert card: the same points as its PNG,
 * the KPI's line alone: the card says its threshold, target and firing episode in words, and
 * Slack's data_visualization block cannot shade an episode. Undefined when the line itself does not fit (a missing
 * value inside it, more than 20 periods), so the card keeps its PNG.
 * @example nativeTrendLine(await alertChartInput(deps, n, 'en'))?.series[0]?.values // [100, 100, 40]
 */
export function nativeTrendLine(input: TrendChartInput): NativeChart | undefined {
  const { threshold: _threshold, target: _target, targetLabel: _label, episodes: _episodes, ...line } = input;
  // The legend names the periods drawn: the line starts at the first period with a value.
  const drawn = line.points.filter((p) => p.value !== null);
  const period = drawn.length > 1 ? `${drawn[0]!.period} – ${drawn.at(-1)!.period}` : line.period;
  return nativeChart({ ...line, period });
}

/**
 * The headline of a digest as a native line chart: the first KPI of its small multiples (the
 * digest's most unusual one) over the same weeks. The small multiples stay a PNG.
 * @example nativeDigestHeadline(digestInput)?.title // 'Won revenue ($)'
 */
export function nativeDigestHeadline(input: DigestChartInput): NativeChart | undefined {
  const item = input.items.find((i) => i.points.some((p) => p.value !== null));
  if (!item) return undefined;
  // A native chart reads only each point's label and value; `start` orders the PNG's line only.
  const points = item.points.map((p) => ({ period: p.period, start: p.period, value: p.value }));
  return nativeChart({
    kind: 'trend',
    title: item.title,
    period: input.period,
    unit: item.unit,
    ...(item.currency ? { currency: item.currency } : {}),
    ...(input.lang ? { lang: input.lang } : {}),
    points,
  });
}
