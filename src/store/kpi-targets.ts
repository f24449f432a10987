import type { TargetDefinition } from '../domain/kpi.ts';
import type { Database } from './open-database.ts';
import { writeTransaction } from './write-transaction.ts';

/** A target as `/kpi target` stored it: the definition, who set it and when. */
export interface StoredTarget extends TargetDefinition {
  readonly kpi: string;
  readonly setBy: string;
  readonly setAt: Date;
}

/**
 * Sets (or replaces) the stored target of a KPI and audits it in the same transaction.
 * @example await setKpiTarget(db, 'win_rate', { value: 0.65, by: '2018-03-31', from: '2017-12-31', grain: 'month' }, 'U0123', now);
 */
export async function setKpiTarget(db: Database, kpi: string, target: TargetDefinition, actor: string, now: Date): Promise<StoredTarget> {
  const data = { value: target.value, by: target.by, from: target.from ?? null, grain: target.grain, setBy: actor, setAt: now };
  return writeTransaction(db, async (tx) => {
    const before = await tx.kpiTarget.findUnique({ where: { kpi } });
    const row = await tx.kpiTarget.upsert({ where: { kpi }, create: { kpi, ...data }, update: data });
    const detail = {
      value: target.value,
      by: target.by,
      from: target.from ?? null,
      grain: target.grain,
      ...(before ? { replaced: { value: before.value, by: before.by } } : {}),
    };
    await tx.auditEntry.create({ data: { at: now, actor, action: 'target_set', subject: `kpi ${kpi}`, detail: JSON.stringify(detail) } });
    return storedTarget(row);
  });
}

/** Every stored target, by KPI key. */
export async function storedTargets(db: Database): Promise<Record<string, StoredTarget>> {
  const rows = await db.prisma.kpiTarget.findMany({ orderBy: { kpi: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.kpi, storedTarget(r)]));
}

/**
 * The targets in force: the config's, with the stored ones replacing them KPI by KPI. A stored
 * target of a KPI the config no longer defines (`isKnown` false) stays stored but is not in force.
 * @example await targetsInForce(db, config.targets) // { win_rate: { value: 0.7, … }, … }
 */
export async function targetsInForce(
  db: Database,
  configured: Readonly<Record<string, TargetDefinition>>,
  isKnown: (kpi: string) => boolean = () => true,
): Promise<Record<string, TargetDefinition>> {
  const out: Record<string, TargetDefinition> = { ...configured };
  for (const [kpi, t] of Object.entries(await storedTargets(db))) if (isKnown(kpi)) out[kpi] = { value: t.value, by: t.by, from: t.from, grain: t.grain };
  return out;
}

function storedTarget(r: { kpi: string; value: number; by: string; from: string | null; grain: string; setBy: string; setAt: Date }): StoredTarget {
  return { kpi: r.kpi, value: r.value, by: r.by, from: r.from ?? undefined, grain: r.grain as TargetDefinition['grain'], setBy: r.setBy, setAt: r.setAt };
}
