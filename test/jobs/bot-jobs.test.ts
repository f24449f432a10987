import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { botJobs, leaseMs } from '../../src/jobs/bot-jobs.ts';

const SOURCES = `sources:
  hubspot: { kind: hubspot, token_env: HUBSPOT_TOKEN }
`;

describe('the bot jobs from schedules:', () => {
  const calls: string[] = [];
  const actions = {
    sync: async (key: string) => (calls.push(`sync ${key}`), true),
    evaluate: async () => void calls.push('evaluate'),
    deliver: async () => void calls.push('deliver'),
  };
  it('syncs each scheduled source and evaluates after it; evaluates and delivers on their own schedules', async () => {
    const config = parseConfig(
      `${SOURCES}schedules:\n  sync: { hubspot: '0 * * * *' }\n  evaluate: '*/10 * * * *'\n  deliver_every: 10s\n  lease: 30m\n`,
      'c.yaml',
    );
    const jobs = botJobs(config, actions);
    expect(jobs.map((j) => [j.name, 'cron' in j.schedule ? j.schedule.cron.text : j.schedule.everyMs, j.followedBy])).toEqual([
      ['sync:hubspot', '0 * * * *', 'evaluate'],
      ['evaluate', '*/10 * * * *', undefined],
      ['deliver', 10_000, undefined],
    ]);
    for (const j of jobs) await j.run(new Date());
    expect(calls).toEqual(['sync hubspot', 'evaluate', 'deliver']);
    expect(leaseMs(config)).toBe(1_800_000);
  });
  it('refuses a schedule for a source the config does not have', () => {
    const config = parseConfig(`${SOURCES}schedules:\n  sync: { salesforce: '0 * * * *' }\n`, 'c.yaml');
    expect(() => botJobs(config, actions, 'c.yaml')).toThrow("[config] c.yaml: schedules.sync.salesforce: no source 'salesforce'");
  });
});
