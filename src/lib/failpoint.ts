// Failpoints let the crash tests kill the process at exact places between evaluation and
// delivery, as TiKV's fail-rs and FreeBSD's fail(9) do. They are off unless
// CRM_PULSE_FAILPOINTS names them, e.g. CRM_PULSE_FAILPOINTS=deliver:after-send@2.
const hits = new Map<string, number>();

/**
 * Kills the process with SIGKILL at this point when CRM_PULSE_FAILPOINTS lists `name` (on every
 * hit) or `name@n` (on the n-th hit). SIGKILL, not an exception, so that nothing gets to clean up.
 */
export function failpoint(name: string, env: NodeJS.ProcessEnv = process.env): void {
  const spec = env.CRM_PULSE_FAILPOINTS;
  if (!spec) return;
  const count = (hits.get(name) ?? 0) + 1;
  hits.set(name, count);
  for (const entry of spec.split(',')) {
    const [point, nth] = entry.trim().split('@');
    if (point === name && (nth === undefined || Number(nth) === count)) process.kill(process.pid, 'SIGKILL');
  }
}
