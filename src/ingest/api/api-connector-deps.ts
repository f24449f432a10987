import type { Clock } from '../../lib/clock.ts';
import { CrmPulseError } from '../../lib/errors.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../lib/http-client.ts';
import type { Logger } from '../../lib/logger.ts';
import type { RetryPolicy, Sleep } from '../../lib/retry.ts';

/** What a CRM API connector takes from outside: app.ts passes the real ones, tests their own. */
export interface ApiConnectorDeps {
  /** the source's key in the config, for messages (`sources.<key>.token_env`) */
  readonly key: string;
  /** the environment that the config's `*_env` settings name variables of */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  readonly clock: Clock;
  /** the HTTP side, for tests: nock-backed fetch is the global one; sleep and jitter are injected */
  readonly http?: {
    readonly fetch?: typeof fetch;
    readonly sleep?: Sleep;
    readonly random?: () => number;
    readonly timeoutMs?: number;
    readonly policy?: RetryPolicy;
  };
  /** records per page where the client chooses (HubSpot search): the API's maximum unless a test asks for less */
  readonly pageSize?: number;
}

/**
 * The value of the variable a config setting names; a config error naming the setting and the
 * variable (never a value) when it is unset.
 * @example requireEnv(deps, 'hubspot', 'token_env', 'HUBSPOT_TOKEN')
 */
export function requireEnv(deps: ApiConnectorDeps, driver: string, setting: string, name: string): string {
  const value = deps.env[name];
  if (value === undefined || value === '') {
    throw new CrmPulseError('config', `[${driver}] sources.${deps.key}.${setting} names ${name}, which is not set`, {
      hint: `set ${name} in the environment or in .env (see .env.example)`,
    });
  }
  return value;
}

/**
 * The HTTP client of a CRM connector: the deps' clock, log and test knobs over the connector's
 * name, secrets and reading of errors.
 * @example apiHttpClient(deps, { name: 'hubspot', secrets: () => [token], describe })
 */
export function apiHttpClient(deps: ApiConnectorDeps, options: Pick<HttpClientOptions, 'name' | 'secrets' | 'describe'>): HttpClient {
  const t = deps.http ?? {};
  return createHttpClient({
    ...options,
    now: () => deps.clock.now().getTime(),
    log: deps.log,
    ...(t.fetch ? { fetch: t.fetch } : {}),
    ...(t.timeoutMs ? { timeoutMs: t.timeoutMs } : {}),
    retry: { ...(t.sleep ? { sleep: t.sleep } : {}), ...(t.random ? { random: t.random } : {}), ...(t.policy ? { policy: t.policy } : {}) },
  });
}
