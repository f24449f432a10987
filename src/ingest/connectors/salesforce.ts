import type { SalesforceSourceConfig } from '../../config/crm-source-schemas.ts';
import { SALESFORCE_OBJECTS, type SalesforceObject } from '../../domain/crm-apis.ts';
import { CrmPulseError } from '../../lib/errors.ts';
import { HttpError } from '../../lib/http-client.ts';
import type { RejectedInput } from '../../store/sync-log.ts';
import type { Connector, PendingRecord, ProgressListener, ReadBatch, SyncUnit, UnitRead } from '../connector.ts';
import { apiHttpClient, requireEnv, type ApiConnectorDeps } from '../api/api-connector-deps.ts';
import { compileApiMapping, type ApiMapping, type DeriveFields } from '../api/map-api-record.ts';
import { isObject, MalformedResponse, parseJsonBody } from '../api/malformed-response.ts';
import { modifiedCursor } from '../api/modified-cursor.ts';
import { rejectOf, stopAtMalformed } from '../api/unit-batches.ts';
import { buildSoql } from '../salesforce/build-soql.ts';
import { apiUsage, describeSalesforceError } from '../salesforce/salesforce-errors.ts';
import { SALESFORCE_DEFAULT_FIELDS, hasIsDeleted } from '../salesforce/salesforce-fields.ts';
import { salesforceSession, type RefreshCredentials, type SessionState } from '../salesforce/salesforce-session.ts';

/** Name of this connector in config (`kind: salesforce`) and in messages. */
export const DRIVER_NAME = 'salesforce';

/** An sObject to sync. */
interface SalesforceUnit extends SyncUnit {
  readonly api: SalesforceObject;
}

/** Error codes of a query Salesforce refuses for what it asks: the config's field names. */
const QUERY_ERRORS = new Set(['MALFORMED_QUERY', 'INVALID_FIELD', 'INVALID_TYPE', 'INVALID_QUERY_FILTER_OPERATOR']);

/**
 * Syncs a Salesforce org through the REST API: one SOQL query per sObject (User, Account,
 * Contact, Opportunity, Case) for the records whose SystemModstamp is after the saved cursor,
 * oldest first, following nextRecordsUrl until done. queryAll also returns deleted records
 * (IsDeleted), which are removed from the store. The bearer token comes from the environment
 * and, when refresh: is configured, is renewed through the OAuth refresh-token flow.
 * @example salesforceConnector(config.sources.sf, { key: 'sf', env: process.env, log, clock: systemClock })
 */
export function salesforceConnector(source: SalesforceSourceConfig, deps: ApiConnectorDeps): Connector {
  const refresh: RefreshCredentials | undefined = source.refresh && {
    tokenUrl: source.refresh.token_url,
    clientId: requireEnv(deps, DRIVER_NAME, 'refresh.client_id_env', source.refresh.client_id_env),
    clientSecret: requireEnv(deps, DRIVER_NAME, 'refresh.client_secret_env', source.refresh.client_secret_env),
    refreshToken: requireEnv(deps, DRIVER_NAME, 'refresh.refresh_token_env', source.refresh.refresh_token_env),
    vars: `${source.refresh.client_id_env}, ${source.refresh.client_secret_env} and ${source.refresh.refresh_token_env}`,
  };
  const envToken = deps.env[source.token_env] || undefined;
  // Without refresh, the token and the instance URL must both come from the environment.
  if (!refresh) requireEnv(deps, DRIVER_NAME, 'token_env', source.token_env);
  const envUrl = refresh ? deps.env[source.instance_url_env] || undefined : requireEnv(deps, DRIVER_NAME, 'instance_url_env', source.instance_url_env);
  const state: SessionState = { token: envToken, instanceUrl: envUrl?.replace(/\/+$/, '') };
  let usage: { used: number; max: number } | undefined;
  const http = apiHttpClient(deps, {
    name: DRIVER_NAME,
    secrets: () => [state.token, envToken, refresh?.clientSecret, refresh?.refreshToken],
    describe: describeSalesforceError,
  });
  const session = salesforceSession(state, http, refresh, { key: deps.key, tokenEnv: source.token_env, instanceUrlEnv: source.instance_url_env });

  const chosen = new Set(source.objects);
  const units: SalesforceUnit[] = (Object.keys(SALESFORCE_OBJECTS) as SalesforceObject[])
    .filter((o) => chosen.has(o))
    .map((api) => ({ api, object: SALESFORCE_OBJECTS[api], label: api }));

  async function query(path: string, what: string, unit: SalesforceUnit, mapping: ApiMapping, soql: string): Promise<unknown> {
    try {
      const res = await session.get(path, what);
      usage = apiUsage(res.headers) ?? usage;
      return parseJsonBody(res.text, `[salesforce] ${what}`);
    } catch (error) {
      if (error instanceof HttpError && error.vendorCode !== undefined && QUERY_ERRORS.has(error.vendorCode)) throw queryError(error, unit, mapping, soql);
      throw error;
    }
  }

  /** A refused query as a config error that names the field and where the config maps it. */
  function queryError(error: HttpError, unit: SalesforceUnit, mapping: ApiMapping, soql: string): CrmPulseError {
    const said = error.message.split('\n')[0]!;
    const column = /No such column '([^']+)'/i.exec(said)?.[1];
    const fields = column ? mapping.fieldsReading(column) : [];
    const where = `sources.${deps.key}.fields.${unit.api}`;
    const hint =
      error.vendorCode === 'INVALID_TYPE'
        ? `remove ${unit.api} from sources.${deps.key}.objects, or give the integration user read access to it`
        : column && fields.length
          ? `${where}.${fields[0]} names '${column}', which ${unit.api} lacks or the integration user cannot read; correct it, or set it to null`
          : `check ${where}: each value must be a field API name of ${unit.api} (Amount, Account.Name); the query was: ${soql}`;
    return new CrmPulseError('config', `[salesforce] sources.${deps.key}: the ${unit.api} query was refused: ${said.replace(/^\[salesforce\] /, '')}`, {
      hint,
      cause: error,
    });
  }

  async function readUnit(unit: SalesforceUnit, cursor: string | undefined, onProgress?: ProgressListener): Promise<UnitRead> {
    const plain = mappingOf(unit.api);
    const mapping = unit.api === 'Opportunity' ? mappingOf(unit.api, deriveOpportunity(plain)) : plain;
    const fields = [...mapping.properties, ...(unit.api === 'Opportunity' ? ['IsClosed', 'IsWon'] : [])];
    const tracker = modifiedCursor(cursor, deps.clock.now());
    const withDeleted = hasIsDeleted(unit.api);
    const soql = buildSoql(unit.api, fields, tracker.startMs, withDeleted);
    const notes: string[] = [];
    if (cursor !== undefined && tracker.startMs === undefined) notes.push(`the saved cursor '${cursor.slice(0, 40)}' is not a time; read everything again`);
    let done = false;

    async function* batches(): AsyncGenerator<ReadBatch> {
      let path: string | undefined = `/services/data/v${source.api_version}/${withDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
      let line = 0;
      for (let page = 1; path !== undefined; page++) {
        const res = await query(path, `${unit.api}, page ${page}`, unit, mapping, soql);
        if (!isObject(res) || !Array.isArray(res.records) || typeof res.done !== 'boolean') {
          throw new MalformedResponse(`[salesforce] ${unit.api}, page ${page}: the response is not a query result (records, done)`, JSON.stringify(res));
        }
        const out = { records: [] as PendingRecord[], rejects: [] as RejectedInput[], removed: [] as string[] };
        for (const r of res.records) {
          line++;
          const id = isObject(r) && typeof r.Id === 'string' && r.Id !== '' ? r.Id : undefined;
          if (id === undefined || !isObject(r)) {
            out.rejects.push(rejectOf(http.scrub, line, 'shape', `a ${unit.api} record without an Id`, r));
            continue;
          }
          if (typeof r.SystemModstamp === 'string') tracker.see(Date.parse(r.SystemModstamp));
          if (r.IsDeleted === true) {
            out.removed.push(id);
            continue;
          }
          const mapped = mapping.map(line, id, flatten(r, fields));
          if ('record' in mapped) out.records.push(mapped.record);
          else out.rejects.push(rejectOf(http.scrub, line, mapped.kind, mapped.reason, r, id));
        }
        onProgress?.(line, Math.max(line, typeof res.totalSize === 'number' ? res.totalSize : line));
        yield out;
        if (res.done) path = undefined;
        else if (typeof res.nextRecordsUrl === 'string' && res.nextRecordsUrl.startsWith('/')) path = res.nextRecordsUrl;
        else
          throw new MalformedResponse(
            `[salesforce] ${unit.api}, page ${page}: done is false but there is no nextRecordsUrl`,
            JSON.stringify({ ...res, records: `${res.records.length} records` }),
          );
      }
      done = true;
    }
    return {
      batches: stopAtMalformed(batches(), http.scrub),
      cursor: () => (done ? tracker.value() : undefined),
      notes: () =>
        usage && usage.used >= 0.8 * usage.max
          ? [...notes, `the org has used ${usage.used.toLocaleString('en-US')} of its ${usage.max.toLocaleString('en-US')} daily API requests`]
          : notes,
      rejectsBy: 'record',
    };
  }

  function mappingOf(api: SalesforceObject, derive?: DeriveFields): ApiMapping {
    return compileApiMapping({
      object: SALESFORCE_OBJECTS[api],
      defaults: SALESFORCE_DEFAULT_FIELDS[api],
      overrides: source.fields[api],
      noun: 'field',
      ...(derive ? { derive } : {}),
    });
  }

  return {
    kind: DRIVER_NAME,
    units: () => units,
    read: (unit, cursor, onProgress) => readUnit(unit as SalesforceUnit, cursor, onProgress),
  };
}

/** Status from IsWon and IsClosed; no close date while the opportunity is open (CloseDate is then a forecast). */
function deriveOpportunity(plain: ApiMapping): DeriveFields {
  const ownStatus = plain.mapsField('status');
  const ownClosed = plain.mapsField('closed_at');
  return (values, props) => {
    if (!ownStatus) {
      if (typeof props.IsClosed !== 'boolean') return { kind: 'missing', reason: 'status (fields IsClosed, IsWon) is required but empty' };
      values.status = props.IsWon === true ? 'won' : props.IsClosed ? 'lost' : 'open';
    }
    if (values.status === 'open' && !ownClosed) values.closed_at = null;
    return undefined;
  };
}

/** A record's selected fields by the names the query used; relationship fields (Manager.Name) are followed. */
function flatten(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    let v: unknown = record;
    for (const part of f.split('.')) v = isObject(v) ? v[keyOf(v, part)] : undefined;
    out[f] = v;
  }
  return out;
}

/** Salesforce field names are case-insensitive; the response spells them its own way. */
function keyOf(obj: Record<string, unknown>, name: string): string {
  if (name in obj) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? name;
}
