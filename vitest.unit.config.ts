import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suites `npm run test:unit` leaves out; `npm test` (and CI) still runs them. Each is slow by
 * design: it loads the bundled datasets (541,909 order lines, on both engines) or the demo data
 * built from them, starts processes or runs the compiled `dist/`, or runs at scale.
 */
export const SLOW_SUITES = [
  // crash trials, burst, replicas, soak
  'test/faults/crash-trials.test.ts',
  'test/load/**',
  'test/jobs/replicas.test.ts',
  'test/jobs/share-tick.test.ts',
  // fuzz at scale
  'test/fuzz/**',
  // real processes and the compiled dist/ (test:unit does not build it)
  'test/alerts/crash-delivery.test.ts',
  'test/security/formula-escapes.test.ts',
  'test/cli/cli-small.test.ts',
  'test/charts/renderer-footprint.test.ts',
  'test/cli/storage-lifecycle.test.ts',
  'test/jobs/lease-takeover.test.ts',
  'test/store/migrate.test.ts',
  // the bundled datasets, read or imported whole, and the demo data built on them
  'test/alerts/forecast-conditions.test.ts',
  'test/alerts/golden-backtest.test.ts',
  'test/cli/clv-command.test.ts',
  'test/cli/run-cli.test.ts',
  'test/answers/clv-commands.test.ts',
  'test/answers/command-service-demo.test.ts',
  'test/answers/forecast-command.test.ts',
  'test/answers/sample-sizes.test.ts',
  'test/answers/target-grains.test.ts',
  'test/digest/digest-forecast.test.ts',
  'test/digest/digest.test.ts',
  'test/ingest/csv-records.test.ts',
  'test/ingest/demo-connector.test.ts',
  'test/kpi/time-edges.test.ts',
  'test/slack/slack-digest.test.ts',
  'test/store/demo-anchors.test.ts',
  'test/ingest/datasets.test.ts',
  'test/kpi/as-of-differential.test.ts',
  'test/kpi/catalog-engines.test.ts',
  'test/kpi/catalog-golden.test.ts',
  'test/kpi/cohorts.test.ts',
  'test/kpi/forecast-accuracy.test.ts',
  'test/kpi/rfm.test.ts',
];

export default mergeConfig(base, defineConfig({ test: { exclude: [...configDefaults.exclude, ...SLOW_SUITES] } }));
