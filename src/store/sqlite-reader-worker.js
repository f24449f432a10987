// Worker thread that runs the SQLite reads of /kpi answers off the main thread, on its own
// read-only connection (WAL lets it read while others write), so the bot's event loop stays free
// to acknowledge Slack within 3 s. Plain JavaScript, so that it loads without the TypeScript loader.
// Message in:  { id, sql, params }
// Message out: { id, rows } or { id, error: { message, code } }
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

// readonly + fileMustExist: a reader never creates or changes storage.
const db = new Sqlite(workerData.file, { readonly: true, fileMustExist: true, timeout: workerData.busyTimeoutMs });

const statements = new Map();
function prepare(sql) {
  let st = statements.get(sql);
  if (!st) {
    st = db.prepare(sql);
    if (statements.size > 500) statements.clear();
    statements.set(sql, st);
  }
  return st;
}

parentPort.on('message', (m) => {
  try {
    parentPort.postMessage({ id: m.id, rows: prepare(m.sql).all(...m.params) });
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: { message: error.message, code: error.code } });
  }
});
