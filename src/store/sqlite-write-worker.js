// Worker thread that runs SQLite bulk upserts off the main thread, so that reading and mapping
// the next batch overlaps with writing this one (better-sqlite3 is synchronous; the machines have
// two cores). Plain JavaScript, so that it loads in a worker without the TypeScript loader.
// Message in:  { id, head, tail, width, rowsPerStatement, params }  (params: width values a row)
// Message out: { id, changed } or { id, error }
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

const db = new Sqlite(workerData.file);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');

const statements = new Map();
/** The prepared INSERT for `rows` rows: `head VALUES (?, …), … tail`. */
function statement(job, rows) {
  const key = `${job.head}\u0000${rows}`;
  let st = statements.get(key);
  if (!st) {
    const one = `(${new Array(job.width).fill('?').join(', ')})`;
    st = db.prepare(`${job.head} VALUES ${new Array(rows).fill(one).join(', ')} ${job.tail}`);
    statements.set(key, st);
  }
  return st;
}

const upsert = db.transaction((job) => {
  const step = job.rowsPerStatement * job.width;
  let changed = 0;
  for (let i = 0; i < job.params.length; i += step) {
    const slice = job.params.slice(i, i + step);
    changed += statement(job, slice.length / job.width).run(slice).changes;
  }
  return changed;
});

parentPort.on('message', (job) => {
  try {
    parentPort.postMessage({ id: job.id, changed: upsert(job) });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
