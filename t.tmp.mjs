import { createApp } from './dist/app.js';
import { readEnv } from './dist/config/env.js';
import { silentLogger } from './dist/lib/logger.js';
import { commandService } from './dist/answers/command-service.js';
const app = await createApp(readEnv({ ...process.env, CRM_PULSE_AS_OF: '2017-12-31' }), silentLogger());
const orig = app.db.sql.all.bind(app.db.sql);
const log = [];
app.db.sql.all = async (sql, params) => {
  const t = performance.now();
  const r = await orig(sql, params);
  log.push([
    performance.now() - t,
    sql
      .replace(/\s+/g, ' ')
      .replace(/\(\?(::\w+)?(, \?(::\w+)?)*\)(, \(\?(::\w+)?(, \?(::\w+)?)*\))*/g, '(V)')
      .slice(0, 400),
    (params ?? []).length,
  ]);
  return r;
};
const svc = commandService(app);
const ctx = { userId: 'U1', locale: 'en', isAdmin: false, now: await app.asOf() };
for (const cmd of process.argv.slice(2)) {
  log.length = 0;
  const t = performance.now();
  const r = await svc.run(cmd, ctx);
  const ms = performance.now() - t;
  console.log(`== ${cmd}: ${ms.toFixed(0)} ms, sql ${log.reduce((s, x) => s + x[0], 0).toFixed(0)} ms in ${log.length} queries — ${r.text}`);
  for (const [m, s, n] of log.sort((a, b) => b[0] - a[0]).slice(0, 6)) console.log(`  ${m.toFixed(1)} ms  [${n}] ${s}`);
}
await app.close();
