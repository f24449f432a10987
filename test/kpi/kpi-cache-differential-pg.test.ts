// The differential test of the incremental tick (issue 18) on PostgreSQL: see kpi-cache-differential.ts.
import { differentialSuite } from './kpi-cache-differential.ts';

differentialSuite('postgres');
