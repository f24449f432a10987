// The differential test of the incremental tick (issue 18) on SQLite: see kpi-cache-differential.ts.
import { differentialSuite } from './kpi-cache-differential.ts';

differentialSuite('sqlite');
