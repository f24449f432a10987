// App Home's "Your team" KPI: never a hard-coded key, which a config can rename or drop.
import { describe, expect, it } from 'vitest';
import { kpiDimensions, ownerKpi } from '../../src/kpi/kpi-dimensions.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';

const all = kpiRegistry().all;

describe('ownerKpi', () => {
  it('is the first KPI with a target that splits by owner, else won_revenue, else the first that splits by owner', () => {
    expect(kpiDimensions(all.find((k) => k.key === 'win_rate')!)).toContain('owner');
    expect(ownerKpi(all, {})).toBe('won_revenue');
    // csat is on tickets, which have no owner: a target on it is passed over.
    expect(kpiDimensions(all.find((k) => k.key === 'csat')!)).not.toContain('owner');
    expect(ownerKpi(all, { csat: {}, win_rate: {} })).toBe('win_rate');
    const withoutWonRevenue = all.filter((k) => k.key !== 'won_revenue');
    expect(ownerKpi(withoutWonRevenue, {})).toBe(withoutWonRevenue.find((k) => kpiDimensions(k).includes('owner'))!.key);
    expect(
      ownerKpi(
        all.filter((k) => !kpiDimensions(k).includes('owner')),
        { win_rate: {} },
      ),
    ).toBeUndefined();
  });
});
