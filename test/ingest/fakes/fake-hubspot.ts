// A HubSpot portal in memory, served through nock in the shapes of the CRM v3 API: search with
// filters, sorts, `after` and the 10,000-result cap, the list endpoint's archived records,
// owners and deal pipelines. Faults are queued per request. Tests end with nock.cleanAll().
import { readFileSync } from 'node:fs';
import nock, { type ReplyFnContext } from 'nock';
import { hubspotRequestProblems, hubspotResponseProblems, OBJECT_TYPE_IDS } from './hubspot-spec.ts';

/** A CRM record as the portal holds it; `properties` are strings, as the API returns them. */
export interface HubspotRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived?: boolean;
  archivedAt?: string;
  /** served in place of the record in search results: a malformed result */
  raw?: unknown;
}

/** A request the fake received. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown> | undefined;
}

/** What a queued fault answers instead of the portal. */
export interface Fault {
  readonly status?: number;
  /** JSON body, or raw text (malformed responses) */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** wait this long (real ms) before answering: a timeout */
  readonly delayMs?: number;
}

/** A fake portal; its data can change between syncs and during one (onRequest). */
export interface FakeHubspot {
  readonly base: string;
  readonly token: string;
  readonly objects: Record<'deals' | 'contacts' | 'companies' | 'tickets', HubspotRecord[]>;
  owners: Record<string, unknown>[];
  pipelines: unknown;
  /** v4 associations by `from/to` (deals/companies), then by record id */
  readonly associations: Record<
    string,
    Record<string, { toObjectId: number; associationTypes: { category: string; typeId: number; label: string | null }[] }[]>
  >;
  readonly requests: SeenRequest[];
  /**
   * every request that broke HubSpot's spec (answered 400 VALIDATION_ERROR, as HubSpot answers
   * it), and every answer of the fake's own that would have (test/ingest/fakes/hubspot-spec.ts)
   */
  readonly nonConforming: string[];
  /** the fault answers the next `times` requests that `match` accepts (all when times is Infinity) */
  fail(match: (r: SeenRequest) => boolean, fault: Fault, times?: number): void;
  heal(): void;
  /** called before each request is answered, e.g. to archive a record in the middle of a read */
  onRequest?: (r: SeenRequest, n: number) => void;
}

/** The search cap, as HubSpot enforces it. */
export const CAP = 10_000;

/** Reads a fixture of test/ingest/fixtures/hubspot. */
export function hubspotFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/hubspot/${name}`, import.meta.url), 'utf8')) as T;
}

/** Starts a fake portal at `base`. */
export function fakeHubspot(base = 'https://api.hubapi.test', token = 'pat-na1-11111111-2222-3333-4444-555555555555'): FakeHubspot {
  const faults: { match: (r: SeenRequest) => boolean; fault: Fault; times: number }[] = [];
  let count = 0;
  const fake: FakeHubspot = {
    base,
    token,
    objects: { deals: [], contacts: [], companies: [], tickets: [] },
    owners: [],
    pipelines: hubspotFixture('pipelines-deals.json'),
    associations: {},
    requests: [],
    nonConforming: [],
    fail: (match, fault, times = 1) => void faults.push({ match, fault, times }),
    heal: () => void faults.splice(0),
  };

  async function answer(this: ReplyFnContext, method: string, uri: string, body: unknown): Promise<[number, string, Record<string, string>]> {
    const url = new URL(uri, base);
    const seen: SeenRequest = {
      method,
      path: url.pathname + url.search,
      body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined,
    };
    fake.requests.push(seen);
    fake.onRequest?.(seen, ++count);
    const f = faults.find((x) => x.times > 0 && x.match(seen));
    if (f) {
      f.times--;
      if (f.fault.delayMs) await new Promise((r) => setTimeout(r, f.fault.delayMs));
      const b = f.fault.body;
      return [f.fault.status ?? 200, typeof b === 'string' ? b : JSON.stringify(b ?? {}), { 'content-type': 'application/json', ...f.fault.headers }];
    }
    if (this.req.headers.authorization !== `Bearer ${token}`) {
      return [
        401,
        JSON.stringify({
          status: 'error',
          message: 'Authentication credentials not found.',
          correlationId: 'c0ffee00-0000-0000-0000-000000000000',
          category: 'INVALID_AUTHENTICATION',
        }),
        json,
      ];
    }
    const wrong = hubspotRequestProblems(method, seen.path, seen.body);
    if (wrong.length) {
      fake.nonConforming.push(...wrong.map((w) => `request ${method} ${seen.path}: ${w}`));
      return error(400, 'VALIDATION_ERROR', wrong.join('; '));
    }
    const [status, text, headers, deliberate] = route(url, seen.body);
    // Malformed results a test serves on purpose (record.raw) are not the fake's mistake.
    if (!deliberate)
      fake.nonConforming.push(...hubspotResponseProblems(method, seen.path, status, JSON.parse(text)).map((w) => `answer to ${method} ${seen.path}: ${w}`));
    return [status, text, headers];
  }

  let correlation = 0;
  /** An error body as the spec's Error has it: category, correlationId and message, all required. */
  function error(status: number, category: string, message: string): [number, string, Record<string, string>] {
    const correlationId = `c0ffee00-0000-4000-8000-${String(++correlation).padStart(12, '0')}`;
    return [status, JSON.stringify({ status: 'error', message, correlationId, category }), json];
  }

  /** The answer to a request, and whether it holds malformed results a test put there on purpose. */
  function route(url: URL, body: Record<string, unknown> | undefined): [number, string, Record<string, string>, boolean?] {
    // Paths name objects by type id (0-3) or by name (deals): HubSpot answers both.
    const name = (o: string) => OBJECT_TYPE_IDS[o] ?? o;
    const assoc = /^\/crm\/v4\/associations\/([\w-]+)\/([\w-]+)\/batch\/read$/.exec(url.pathname);
    if (assoc) {
      const by = fake.associations[`${name(assoc[1]!)}/${name(assoc[2]!)}`] ?? {};
      const ids = ((body?.inputs as { id: string }[] | undefined) ?? []).map((i) => i.id);
      const results = ids.filter((id) => by[id]?.length).map((id) => ({ from: { id }, to: by[id] }));
      // HubSpot answers 207 Multi-Status when some inputs have no associations, one error each.
      const missing = ids.filter((id) => !by[id]?.length);
      const errors = missing.map((id) => ({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        message: `No ${name(assoc[2]!)} is associated with ${name(assoc[1]!)} ${id}.`,
        context: { fromObjectId: [id] },
      }));
      const answer = {
        status: 'COMPLETE',
        results,
        ...(errors.length ? { numErrors: errors.length, errors } : {}),
        startedAt: '2024-03-01T00:00:00.000Z',
        completedAt: '2024-03-01T00:00:00.100Z',
      };
      return [errors.length ? 207 : 200, JSON.stringify(answer), json];
    }
    const search = /^\/crm\/v3\/objects\/([\w-]+)\/search$/.exec(url.pathname);
    if (search) return searchObjects(name(search[1]!), body ?? {});
    const list = /^\/crm\/v3\/objects\/([\w-]+)$/.exec(url.pathname);
    if (list) return listArchived(name(list[1]!), url.searchParams);
    if (url.pathname === '/crm/v3/owners/' || url.pathname === '/crm/v3/owners') return listOwners(url.searchParams);
    if (url.pathname === '/crm/v3/pipelines/deals') return [200, JSON.stringify(fake.pipelines), json];
    return error(404, 'OBJECT_NOT_FOUND', `no route ${url.pathname}`);
  }

  function searchObjects(object: string, body: Record<string, unknown>): [number, string, Record<string, string>, boolean?] {
    const limit = Math.min(Number(body.limit ?? 10), 200);
    const after = Number(body.after ?? 0);
    if (after >= CAP) {
      return error(400, 'VALIDATION_ERROR', `Search results are limited to ${CAP} records; the requested offset ${after} is beyond`);
    }
    const groups = (body.filterGroups as { filters: Filter[] }[] | undefined) ?? [];
    const sorts = (body.sorts as { propertyName: string; direction?: string }[] | undefined) ?? [];
    const wanted = (body.properties as string[] | undefined) ?? [];
    const live = recordsOf(object).filter((r) => !r.archived);
    const matching = live.filter((r) => groups.length === 0 || groups.some((g) => g.filters.every((f) => matches(r, f))));
    const sortBy = sorts[0]?.propertyName;
    if (sortBy) matching.sort((a, b) => compare(valueOf(a, sortBy), valueOf(b, sortBy)) || Number(a.id) - Number(b.id));
    const page = matching.slice(after, after + limit);
    const next = after + limit < matching.length ? { next: { after: String(after + limit), link: `?after=${after + limit}` } } : undefined;
    const results = page.map(
      (r) =>
        r.raw ?? {
          id: r.id,
          properties: Object.fromEntries(['hs_object_id', 'createdate', 'hs_lastmodifieddate', ...wanted].map((p) => [p, valueOf(r, p) ?? null])),
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
          archived: false,
        },
    );
    return [200, JSON.stringify({ total: matching.length, results, ...(next ? { paging: next } : {}) }), json, page.some((r) => r.raw !== undefined)];
  }

  function listArchived(object: string, q: URLSearchParams): [number, string, Record<string, string>] {
    const archived = recordsOf(object).filter((r) => (q.get('archived') === 'true' ? r.archived : !r.archived));
    const { page, paging } = pageOf(archived, q);
    const results = page.map((r) => ({
      id: r.id,
      properties: { hs_object_id: r.id },
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      archived: !!r.archived,
      archivedAt: r.archivedAt,
    }));
    return [200, JSON.stringify({ results, ...paging }), json];
  }

  function listOwners(q: URLSearchParams): [number, string, Record<string, string>] {
    const owners = fake.owners.filter((o) => Boolean(o.archived) === (q.get('archived') === 'true'));
    const { page, paging } = pageOf(owners, q);
    return [200, JSON.stringify({ results: page, ...paging }), json];
  }

  const recordsOf = (object: string): HubspotRecord[] => (fake.objects as Record<string, HubspotRecord[] | undefined>)[object] ?? [];
  const json = { 'content-type': 'application/json' };
  nock(base)
    .persist()
    .post(/.*/)
    .reply(function (uri, body) {
      return answer.call(this, 'POST', uri, body);
    })
    .get(/.*/)
    .reply(function (uri) {
      return answer.call(this, 'GET', uri, undefined);
    });
  return fake;
}

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
}

function valueOf(r: HubspotRecord, p: string): string | null | undefined {
  return p === 'hs_object_id' ? r.id : r.properties[p];
}

/** Compares two property values as HubSpot does: numbers and dates by value, text as text. */
function compare(a: string | null | undefined, b: string | null | undefined): number {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

function asNumber(v: string | null | undefined): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function matches(r: HubspotRecord, f: Filter): boolean {
  const c = compare(valueOf(r, f.propertyName), f.value);
  switch (f.operator) {
    case 'EQ':
      return c === 0;
    case 'GT':
      return c > 0;
    case 'GTE':
      return c >= 0;
    case 'LT':
      return c < 0;
    case 'LTE':
      return c <= 0;
    default:
      throw new Error(`fake HubSpot: operator ${f.operator} not simulated`);
  }
}

/** A page of a list endpoint: `after` is an opaque cursor (base64 of the offset), as HubSpot's are. */
function pageOf<T>(all: readonly T[], q: URLSearchParams): { page: T[]; paging: { paging?: unknown } } {
  const limit = Number(q.get('limit') ?? 100);
  const after = q.get('after') ? Number(Buffer.from(q.get('after')!, 'base64').toString()) : 0;
  const page = all.slice(after, after + limit);
  const next = after + limit < all.length ? Buffer.from(String(after + limit)).toString('base64') : undefined;
  return { page, paging: next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {} };
}
