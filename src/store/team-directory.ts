import type { Database } from './open-database.ts';

/** A manager and the agents (CRM owners) who report to them, from the owners data. */
export interface Team {
  readonly manager: string;
  readonly office: string | null;
  /** agent names, sorted */
  readonly agents: readonly string[];
}

/**
 * The teams of the owners data: every manager with their agents, sorted by manager. An agent
 * listed by several sources counts once.
 * @example (await teams(db)).find((t) => t.manager === 'Dustin Brinkmann')?.agents // ['Anna Snelling', …]
 */
export async function teams(db: Database): Promise<Team[]> {
  const owners = await db.prisma.owner.findMany({ where: { manager: { not: null } }, select: { name: true, manager: true, office: true } });
  const byManager = new Map<string, { office: string | null; agents: Set<string> }>();
  for (const o of owners) {
    const team = byManager.get(o.manager!) ?? { office: o.office, agents: new Set<string>() };
    team.agents.add(o.name);
    byManager.set(o.manager!, team);
  }
  return [...byManager.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([manager, t]) => ({ manager, office: t.office, agents: [...t.agents].sort() }));
}
