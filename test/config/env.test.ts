import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';

describe('readEnv', () => {
  it('defaults to SQLite in ./data and the demo config', () => {
    const env = readEnv({});
    expect(env.databaseUrl).toBe('file:./data/crm-pulse.db');
    expect(env.configPath).toBe('crm-pulse.yaml');
    expect(env.configPathExplicit).toBe(false);
    expect(env.port).toBe(3000);
    expect(env.slackBotToken).toBeUndefined();
  });
  it('treats empty variables as unset, as .env files write them', () => {
    expect(readEnv({ DATABASE_URL: '', SLACK_BOT_TOKEN: '' }).databaseUrl).toBe('file:./data/crm-pulse.db');
  });
  it('names a wrong variable without echoing its value, which may be a secret', () => {
    const secret = 'mysql://admin:hunter2@db/crm';
    expect(() => readEnv({ DATABASE_URL: secret })).toThrow(
      "[config] environment:\n  DATABASE_URL: must start with 'file:' (SQLite) or 'postgres://' (PostgreSQL)",
    );
    try {
      readEnv({ DATABASE_URL: secret, SLACK_BOT_TOKEN: 'xoxp-123-secret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).message).not.toContain('xoxp-123-secret');
      expect((error as Error).message).toContain("SLACK_BOT_TOKEN: must start with 'xoxb-'");
    }
  });
  it('reads LOG_FORMAT and LOG_LEVEL, and names a wrong one with its choices', () => {
    expect(readEnv({})).toMatchObject({ logFormat: undefined, logLevel: 'info', logLevelExplicit: false });
    expect(readEnv({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' })).toMatchObject({ logFormat: 'pretty', logLevel: 'debug', logLevelExplicit: true });
    expect(readEnv({ LOG_FORMAT: '', LOG_LEVEL: '' })).toMatchObject({ logFormat: undefined, logLevelExplicit: false });
    expect(() => readEnv({ LOG_FORMAT: 'yaml' })).toThrow('[config] environment:\n  LOG_FORMAT: Invalid option: expected one of "json"|"pretty"');
  });
});
