// crm-pulse's side of the ingest bench, as production runs it: plain node on the compiled code in
// dist/ (bench/ingest.ts starts it with the settings of `npm start`). Imports Online Retail through
// the bundled config's source into a fresh SQLite database in the folder given as the first
// argument and prints { rows, ms, peakRssMb } as JSON. Run `npm run build` first.
import { join } from 'node:path';

const dir = process.argv[2];
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { openDatabase } = await dist('store/open-database.js');
const { migrate } = await dist('store/migrate.js');
const { loadConfig } = await dist('config/load-config.js');
const { csvConnector } = await dist('ingest/connectors/csv.js');
const { syncSource } = await dist('ingest/sync-source.js');
const { systemClock } = await dist('lib/clock.js');
const { silentLogger } = await dist('lib/logger.js');
const db = await openDatabase(`file:${join(dir, 'ours.db')}`);
await migrate(db);
const { config, dir: base } = loadConfig(join(dir, 'none.yaml'), { explicit: false });
const source = config.sources['online-retail'];
const t = performance.now();
const [result] = await syncSource(
  { db, clock: systemClock, log: silentLogger() },
  { key: 'online-retail', kind: 'csv', name: 'bench' },
  csvConnector(source, base),
);
const ms = performance.now() - t;
await db.close();
console.log(JSON.stringify({ rows: result.counts.read, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
