import type { NativeChart } from '../../answers/reply.ts';
import type { Block } from './check-block-limits.ts';

/** Block types Slack added in 2026 that an older client or a workspace policy may refuse (invalid_blocks). */
export const NATIVE_BLOCK_TYPES: ReadonlySet<string> = new Set(['data_visualization', 'data_table']);

/**
 * Native chart data as Slack's data_visualization block: one point per category in every series
 * (https://docs.slack.dev/reference/block-kit/blocks/data-visualization-block).
 * @example blocks.push(dataVisualizationBlock(nativeChart(input)!))
 */
export function dataVisualizationBlock(chart: NativeChart): Block {
  return {
    type: 'data_visualization',
    title: chart.title,
    chart: {
      type: chart.type,
      series: chart.series.map((s) => ({ name: s.name, data: chart.categories.map((label, i) => ({ label, value: s.values[i]! })) })),
      axis_config: { categories: [...chart.categories] },
    },
  };
}

/** Whether a message holds a block Slack may refuse as too new. */
export function hasNativeBlocks(blocks: readonly Block[] | undefined): boolean {
  return (blocks ?? []).some((b) => NATIVE_BLOCK_TYPES.has(b.type));
}
