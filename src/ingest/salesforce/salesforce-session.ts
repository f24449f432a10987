import { CrmPulseError } from '../../lib/errors.ts';
import { HttpError, type HttpClient, type HttpResponse } from '../../lib/http-client.ts';
import { isObject } from '../api/malformed-response.ts';

/** The refresh-token flow's settings, read from the variables the config names. */
export interface RefreshCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  /** the variables, for messages */
  readonly vars: string;
}

/** The session's changing state: the access token and the instance it is for. */
export interface SessionState {
  token: string | undefined;
  instanceUrl: string | undefined;
}

/** Authenticated GETs against the org's REST API. */
export interface SalesforceSession {
  /** GETs a path (`/services/data/…`) of the instance; re-authenticates once on INVALID_SESSION_ID */
  get(path: string, what: string): Promise<HttpResponse>;
}

/** Names used in messages: the source key and the config's variable names. */
export interface SessionNames {
  readonly key: string;
  readonly tokenEnv: string;
  readonly instanceUrlEnv: string;
}

/**
 * A session over `state`. Without a token it authenticates through the refresh-token flow first.
 * A request refused with INVALID_SESSION_ID (the token expired or was revoked) is retried once
 * after a new token is fetched through the refresh-token flow; refused again, or with no refresh
 * configured, it fails with the fix.
 * @example await salesforceSession(state, http, refresh, names).get('/services/data/v62.0/limits', 'limits')
 */
export function salesforceSession(state: SessionState, http: HttpClient, refresh: RefreshCredentials | undefined, names: SessionNames): SalesforceSession {
  async function authenticate(): Promise<void> {
    if (!refresh)
      throw new CrmPulseError('config', `[salesforce] sources.${names.key}: ${names.tokenEnv} is not set and refresh: is not configured`, {
        hint: `set ${names.tokenEnv}, or configure refresh: with a connected app's refresh token`,
      });
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: refresh.clientId,
      client_secret: refresh.clientSecret,
      refresh_token: refresh.refreshToken,
    });
    let res: HttpResponse;
    try {
      res = await http.send({
        method: 'POST',
        url: refresh.tokenUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        what: 'refreshing the access token',
      });
    } catch (error) {
      if (error instanceof HttpError && error.status >= 400 && error.status < 500) {
        throw new CrmPulseError('config', `${error.message.split('\n')[0]}`, {
          hint: `check ${refresh.vars}: the refresh token may be revoked or expired, or the consumer key and secret wrong`,
          cause: error,
        });
      }
      throw error;
    }
    const granted = safeJson(res.text);
    if (!isObject(granted) || typeof granted.access_token !== 'string') {
      throw new CrmPulseError('remote', '[salesforce] refreshing the access token: the answer has no access_token', { retryable: true });
    }
    state.token = granted.access_token;
    if (typeof granted.instance_url === 'string' && granted.instance_url !== '') state.instanceUrl = granted.instance_url.replace(/\/+$/, '');
  }

  async function once(path: string, what: string): Promise<HttpResponse> {
    if (state.instanceUrl === undefined)
      throw new CrmPulseError('config', `[salesforce] sources.${names.key}.instance_url_env names ${names.instanceUrlEnv}, which is not set`, {
        hint: `set ${names.instanceUrlEnv} to the org's URL, e.g. https://acme.my.salesforce.com`,
      });
    return http.send({
      method: 'GET',
      url: `${state.instanceUrl}${path}`,
      headers: { authorization: `Bearer ${state.token}`, accept: 'application/json' },
      what,
    });
  }

  return {
    async get(path, what) {
      if (state.token === undefined) await authenticate();
      try {
        return await once(path, what);
      } catch (error) {
        if (!(error instanceof HttpError) || error.vendorCode !== 'INVALID_SESSION_ID') throw error;
        if (!refresh) {
          throw new CrmPulseError('config', error.message.split('\n')[0]!, {
            hint: `renew the access token in ${names.tokenEnv}, or configure refresh: so that crm-pulse renews it itself`,
          });
        }
        await authenticate();
        try {
          return await once(path, what);
        } catch (again) {
          if (again instanceof HttpError && again.vendorCode === 'INVALID_SESSION_ID') {
            throw new CrmPulseError('config', `${again.message.split('\n')[0]} (again, with a token just renewed)`, {
              hint: `check that the connected app may use the API and that ${names.instanceUrlEnv} is the org the refresh token belongs to`,
            });
          }
          throw again;
        }
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
