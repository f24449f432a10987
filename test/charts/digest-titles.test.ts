import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/charts/render-chart.ts';
import type { ChartInput } from '../../src/charts/chart-input.ts';
import { CATALOG } from '../../src/kpi/catalog.ts';

const series = (n: number) => Array.from({ length: n }, (_, i) => ({ period: `2017-W${String(i + 1).padStart(2, '0')}`, value: 30 - i }));

// Issue 14: digest cells cut long KPI titles ("Complaint resolution (hou…"), in both languages.
describe('digest small multiples show whole KPI titles', () => {
  const keys = ['complaint_resolution_hours', 'complaint_resolution_hours_p90', 'first_response_hours', 'win_rate', 'data_completeness', 'csat'];
  const kpis = keys.map((k) => CATALOG.find((c) => c.key === k)!);
  for (const lang of ['en', 'zh'] as const) {
    it(lang, async () => {
      const titles = kpis.map((k) => (lang === 'zh' ? k.title_zh! : k.title));
      const input = {
        kind: 'digest',
        lang,
        title: 'Digest',
        period: '2017-W12',
        items: titles.map((title) => ({ title, unit: 'duration', points: series(12) })),
      } as ChartInput;
      const { svg } = await renderChart(input);
      // A text element's lines: one, or its <tspan>s (a title over two lines).
      const text = [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => {
        const spans = [...m[1]!.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((s) => s[1]!);
        return (spans.length ? spans : [m[1]!]).map((s) => s.replace(/&amp;/g, '&'));
      });
      expect(text.flat().filter((t) => t.includes('…'))).toEqual([]);
      // Every title is drawn in full, on one line or over two.
      for (const title of titles) {
        const whole = text.some((lines) => {
          const shown = lines.filter((l) => l.trim() !== '');
          return shown.join(' ') === title || shown.join('') === title;
        });
        expect(whole, `${title} in ${JSON.stringify(text)}`).toBe(true);
      }
    });
  }
});
