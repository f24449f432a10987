import type { HubspotSourceConfig } from '../../config/crm-source-schemas.ts';
import { HUBSPOT_OBJECTS, type HubspotObject } from '../../domain/crm-apis.ts';
import { CRM_OBJECTS, type StoredValue } from '../../domain/crm-objects.ts';
import type { RejectedInput } from '../../store/sync-log.ts';
import type { Connector, PendingRecord, ProgressListener, ReadBatch, SyncUnit, UnitRead } from '../connector.ts';
import { apiHttpClient, requireEnv, type ApiConnectorDeps } from '../api/api-connector-deps.ts';
import { compileApiMapping, withRef, type ApiMapping, type DeriveFields } from '../api/map-api-record.ts';
import { isObject, MalformedResponse, parseJsonBody } from '../api/malformed-response.ts';
import { modifiedCursor, SETTLE_MS } from '../api/modified-cursor.ts';
import { rejectOf, stopAtMalformed } from '../api/unit-batches.ts';
import { dealStages, type DealStages } from '../hubspot/deal-stages.ts';
import { describeHubspotError } from '../hubspot/hubspot-errors.ts';
import { HUBSPOT_DEFAULT_FIELDS, lastModifiedProperty } from '../hubspot/hubspot-fields.ts';
import { HUBSPOT_ASSOCIATIONS, primaryAssociations } from '../hubspot/primary-associations.ts';
import { idOf, modifiedMs, searchModified } from '../hubspot/search-modified.ts';
import { vanishedProperties } from '../hubspot/vanished-properties.ts';
import { CrmPulseError } from '../../lib/errors.ts';

/** Name of this connector in config (`kind: hubspot`) and in messages. */
export const DRIVER_NAME = 'hubspot';

/** Page size of the owners and archived-records list endpoints. */
const LIST_PAGE = 100;

/** A HubSpot object to sync. */
interface HubspotUnit extends SyncUnit {
  readonly api: HubspotObject;
}

type CrmObjectName = Exclude<HubspotObject, 'owners'>;

/**
 * Syncs a HubSpot portal through a private app's access token: owners, then companies, contacts,
 * deals and tickets, each incrementally through the CRM search API from the saved cursor (see
 * search-modified.ts). Deal stages map to open/won/lost through the pipelines API; a deal's and a
 * ticket's company (and a ticket's contact) come from their primary associations; records
 * archived in HubSpot are removed from the store; owners, archived or not, are all kept, as they
 * still own the deals they closed.
 * @example hubspotConnector(config.sources.hubspot, { key: 'hubspot', env: process.env, log, clock: systemClock })
 */
export function hubspotConnector(source: HubspotSourceConfig, deps: ApiConnectorDeps): Connector {
  const token = requireEnv(deps, DRIVER_NAME, 'token_env', source.token_env);
  const base = source.base_url.replace(/\/+$/, '');
  const http = apiHttpClient(deps, {
    name: DRIVER_NAME,
    secrets: () => [token],
    describe: (r) => describeHubspotError(r, source.token_env, deps.clock.now().getTime()),
  });
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' };
  const getJson = async (path: string, what: string) =>
    parseJsonBody((await http.send({ method: 'GET', url: `${base}${path}`, headers, what })).text, `[hubspot] ${what}`);
  const postJson = async (path: string, body: object, what: string) =>
    parseJsonBody((await http.send({ method: 'POST', url: `${base}${path}`, headers, body: JSON.stringify(body), what })).text, `[hubspot] ${what}`);

  const chosen = new Set(source.objects);
  const units: HubspotUnit[] = (Object.keys(HUBSPOT_OBJECTS) as HubspotObject[])
    .filter((o) => chosen.has(o))
    .map((api) => ({ api, object: HUBSPOT_OBJECTS[api], label: api }));
  const mappingOf = (api: HubspotObject, derive?: DeriveFields) =>
    compileApiMapping({
      object: HUBSPOT_OBJECTS[api],
      defaults: HUBSPOT_DEFAULT_FIELDS[api],
      overrides: source.fields[api],
      noun: 'property',
      ...(derive ? { derive } : {}),
    });

  async function readOwners(onProgress?: ProgressListener): Promise<UnitRead> {
    const mapping = mappingOf('owners');
    let done = false;
    let newest: string | undefined;
    async function* batches(): AsyncGenerator<ReadBatch> {
      let line = 0;
      // Archived owners are kept: a departed agent still owns the deals they closed.
      for (const archived of [false, true]) {
        let after: string | undefined;
        for (let page = 1; ; page++) {
          const query = `limit=${LIST_PAGE}&archived=${archived}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
          const res = await getJson(`/crm/v3/owners/?${query}`, `owners${archived ? ' (archived)' : ''}, page ${page}`);
          const results = resultsOf(res, `owners, page ${page}`);
          const out = { records: [] as PendingRecord[], rejects: [] as RejectedInput[] };
          for (const r of results) {
            line++;
            const id = idOf(r);
            if (id === undefined || !isObject(r)) {
              out.rejects.push(rejectOf(http.scrub, line, 'shape', 'an owner without an id', r));
              continue;
            }
            if (typeof r.updatedAt === 'string' && (newest === undefined || r.updatedAt > newest)) newest = r.updatedAt;
            const mapped = mapping.map(line, id, ownerProperties(r));
            if ('record' in mapped) out.records.push(mapped.record);
            else out.rejects.push(rejectOf(http.scrub, line, mapped.kind, mapped.reason, r, id));
          }
          onProgress?.(line, line);
          yield out;
          after = nextAfter(res);
          if (after === undefined) break;
        }
      }
      done = true;
    }
    return { batches: stopAtMalformed(batches(), http.scrub), cursor: () => (done ? newest : undefined), notes: () => [] };
  }

  async function readRecords(unit: HubspotUnit & { api: CrmObjectName }, cursor: string | undefined, onProgress?: ProgressListener): Promise<UnitRead> {
    const stages = unit.api === 'deals' ? await loadStages() : undefined;
    let mapping: ApiMapping = mappingOf(unit.api);
    if (stages) mapping = mappingOf(unit.api, deriveDeal(stages, mapping));
    const property = lastModifiedProperty(unit.api);
    const extra = unit.api === 'deals' ? ['dealstage', 'pipeline'] : [];
    const properties = [...new Set([...mapping.properties, ...extra, property])];
    const tracker = modifiedCursor(cursor, deps.clock.now());
    const notes: string[] = [];
    if (cursor !== undefined && tracker.startMs === undefined) notes.push(`the saved cursor '${cursor.slice(0, 40)}' is not a time; read everything again`);
    let done = false;

    async function* batches(): AsyncGenerator<ReadBatch> {
      let line = 0;
      const pages = searchModified({
        what: `[hubspot] ${unit.api}`,
        modifiedProperty: property,
        properties,
        fromMs: tracker.startMs,
        ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
        search: (body, page) => postJson(`/crm/v3/objects/${unit.api}/search`, body, `${unit.api}, search page ${page}`),
      });
      for await (const page of pages) {
        const out = { records: [] as PendingRecord[], rejects: [] as RejectedInput[] };
        const what = `${unit.api}, search page ${page.page}`;
        // A mapped property gone from HubSpot's schema stops the read before its page is stored:
        // the cursor stays, so nothing is skipped or stored empty once the config is fixed.
        const vanished = vanishedProperties(page.results, mapping.properties);
        if (vanished.length) {
          throw new CrmPulseError(
            'config',
            `[hubspot] ${what}: ${vanished.map((p) => `'${p}'`).join(', ')} missing from every result: deleted or renamed in HubSpot?`,
            {
              hint: `compare the property names under sources.${deps.key}.fields with Settings → Properties in HubSpot; the next run reads from the saved cursor`,
            },
          );
        }
        for (const r of page.results) {
          line++;
          const id = idOf(r);
          const ms = modifiedMs(r, property);
          if (ms !== undefined) tracker.see(ms);
          if (id === undefined || !isObject(r) || !isObject(r.properties)) {
            out.rejects.push(rejectOf(http.scrub, line, 'shape', `a ${unit.api} result without an id or properties`, r, id));
            continue;
          }
          const mapped = mapping.map(line, id, r.properties);
          if ('record' in mapped) out.records.push(mapped.record);
          else out.rejects.push(rejectOf(http.scrub, line, mapped.kind, mapped.reason, r, id));
        }
        out.records = await withAssociations(unit.api, mapping, out.records, what);
        onProgress?.(line, Math.max(line, page.total));
        yield out;
      }
      yield* archivedSince(unit.api, tracker.startMs);
      done = true;
    }
    return { batches: stopAtMalformed(batches(), http.scrub), cursor: () => (done ? tracker.value() : undefined), notes: () => notes, rejectsBy: 'record' };
  }

  /**
   * Records archived since `sinceMs` (all, on a first read): the list endpoint, as search never
   * returns archived records. They are removed from the store, as HubSpot's own reports drop them;
   * a record restored later comes back through search with a new modification time.
   */
  async function* archivedSince(api: CrmObjectName, sinceMs: number | undefined): AsyncGenerator<ReadBatch> {
    let after: string | undefined;
    const from = sinceMs === undefined ? -Infinity : sinceMs - SETTLE_MS;
    for (let page = 1; ; page++) {
      const query = `limit=${LIST_PAGE}&archived=true&properties=hs_object_id${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const res = await getJson(`/crm/v3/objects/${api}?${query}`, `${api} (archived), page ${page}`);
      const removed: string[] = [];
      for (const r of resultsOf(res, `${api} (archived), page ${page}`)) {
        const id = idOf(r);
        const at = isObject(r) && typeof r.archivedAt === 'string' ? Date.parse(r.archivedAt) : NaN;
        if (id !== undefined && (Number.isNaN(at) || at >= from)) removed.push(id);
      }
      if (removed.length) yield { records: [], rejects: [], removed };
      after = nextAfter(res);
      if (after === undefined) return;
    }
  }

  /** Fills the references HubSpot keeps as associations (a deal's company), unless the config maps them. */
  async function withAssociations(api: CrmObjectName, mapping: ApiMapping, records: PendingRecord[], what: string): Promise<PendingRecord[]> {
    let out = records;
    for (const [field, to] of Object.entries(HUBSPOT_ASSOCIATIONS[api] ?? {})) {
      if (mapping.configures(field) || out.length === 0) continue;
      const target = CRM_OBJECTS[HUBSPOT_OBJECTS[api]][field]!.ref!;
      const found = await primaryAssociations(
        postJson,
        api,
        to,
        out.map((r) => r.externalId),
        `${what}, ${to} associations`,
      );
      out = out.map((r) => {
        const key = found.get(r.externalId);
        return withRef(r, field, key === undefined ? null : { object: target, key, unknown: 'empty' });
      });
    }
    return out;
  }

  let stagesPromise: Promise<DealStages> | undefined;
  function loadStages(): Promise<DealStages> {
    stagesPromise ??= getJson('/crm/v3/pipelines/deals', 'deal pipelines').then(dealStages);
    // A failed load is not kept: the next read tries again.
    stagesPromise.catch(() => (stagesPromise = undefined));
    return stagesPromise;
  }

  /** Status from the stage's definition; the stage's label replaces its id; no close date while open. */
  function deriveDeal(stages: DealStages, plain: ApiMapping): DeriveFields {
    const ownStatus = plain.mapsField('status');
    const ownStage = plain.mapsField('stage');
    const ownClosed = plain.mapsField('closed_at');
    return (values: Record<string, StoredValue>, props) => {
      const stageId = typeof props.dealstage === 'string' && props.dealstage.trim() !== '' ? props.dealstage.trim() : undefined;
      if (stageId === undefined) return undefined; // rejected as missing its stage
      const pipeline = typeof props.pipeline === 'string' ? props.pipeline : undefined;
      const info = stages.lookup(stageId, pipeline);
      if (!ownStatus) {
        if (!info)
          return {
            kind: 'invalid',
            reason: `dealstage '${stageId}' is not a stage of any deal pipeline${pipeline ? ` (the deal's pipeline is '${pipeline}')` : ''}`,
          };
        if (info.problem !== undefined) return { kind: 'invalid', reason: info.problem };
        values.status = info.status!;
      }
      if (info && !ownStage) values.stage = info.label;
      if (values.status === 'open' && !ownClosed) values.closed_at = null;
      return undefined;
    };
  }

  return {
    kind: DRIVER_NAME,
    units: () => units,
    read: (unit, cursor, onProgress) => {
      const u = unit as HubspotUnit;
      return u.api === 'owners' ? readOwners(onProgress) : readRecords(u as HubspotUnit & { api: CrmObjectName }, cursor, onProgress);
    },
  };
}

/** An owner of the owners API as a flat property bag: its team is its primary team's name. */
function ownerProperties(r: Record<string, unknown>): Record<string, unknown> {
  const teams = Array.isArray(r.teams) ? r.teams.filter(isObject) : [];
  const team = teams.find((t) => t.primary === true) ?? teams[0];
  return { firstName: r.firstName, lastName: r.lastName, email: r.email, userId: r.userId, team: team?.name };
}

function resultsOf(res: unknown, where: string): unknown[] {
  if (!isObject(res) || !Array.isArray(res.results)) throw new MalformedResponse(`[hubspot] ${where}: the response has no results list`, JSON.stringify(res));
  return res.results;
}

function nextAfter(res: unknown): string | undefined {
  const next = isObject(res) && isObject(res.paging) && isObject(res.paging.next) ? res.paging.next.after : undefined;
  return next === undefined || next === null || next === '' ? undefined : String(next);
}
