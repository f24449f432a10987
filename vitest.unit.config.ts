import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suites `npm run test:unit` leaves out; `npm test` (and CI) still runs them. Each is slow by
 * design: it loads the bundled datasets (541,909 order lines, on both engines), starts processes,
 * or runs at scale.
 */
export const SLOW_SUITES = [
  // crash trials, burst, replicas, soak
  'test/faults/crash-trials.test.ts',
  'test/load/**',
  'test/jobs/replicas.test.ts',
  // fuzz at scale
  'test/fuzz/**',
  // real processes: the compiled bin, child processes that crash or hold leases
  'test/alerts/crash-delivery.test.ts',
  'test/cli/cli-small.test.ts',
  'test/cli/storage-lifecycle.test.ts',
  'test/jobs/lease-takeover.test.ts',
  'test/store/migrate.test.ts',
  // the bundled datasets, imported whole
  'test/ingest/datasets.test.ts',
  'test/kpi/as-of-differential.test.ts',
  'test/kpi/catalog-engines.test.ts',
  'test/kpi/catalog-golden.test.ts',
  'test/kpi/cohorts.test.ts',
  'test/kpi/forecast-accuracy.test.ts',
  'test/kpi/rfm.test.ts',
];

export default mergeConfig(base, defineConfig({ test: { exclude: [...configDefaults.exclude, ...SLOW_SUITES] } }));
