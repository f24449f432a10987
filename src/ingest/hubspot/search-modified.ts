import { isObject, MalformedResponse } from '../api/malformed-response.ts';

/** HubSpot's search endpoints return at most 10,000 results per query; `after` beyond is a 400. */
export const SEARCH_CAP = 10_000;

/** Records per search page: the most the endpoint allows. */
export const SEARCH_PAGE = 200;

/** A page of search results, without those an earlier page already gave. */
export interface SearchPage {
  /** the raw results, as the API gave them; checking their shape is the caller's */
  readonly results: readonly unknown[];
  /** how many records the first query matched, for progress */
  readonly total: number;
  readonly page: number;
}

/** What searchModified needs. */
export interface SearchModifiedOptions {
  /** the read, as messages name it: `[hubspot] deals` */
  readonly what: string;
  /** the property that says when a record changed (hs_lastmodifieddate, lastmodifieddate) */
  readonly modifiedProperty: string;
  readonly properties: readonly string[];
  /** read records modified at or after this time (epoch ms); undefined: all */
  readonly fromMs: number | undefined;
  /** POSTs a search body; resolves to the parsed JSON */
  readonly search: (body: object, page: number) => Promise<unknown>;
  readonly pageSize?: number;
}

/**
 * Reads every record modified at or after `fromMs` through the CRM search API, oldest first.
 *
 * Windowing on time: each request filters `modifiedProperty >= T`, sorted ascending, where T is
 * the last modification time seen so far, so every window starts again at offset 0. This keeps
 * far from the 10,000-result cap, and more: `after` is an offset into a result set that changes
 * while it is read (a record modified or archived meanwhile leaves its place, and the record
 * after it slides into a page already read), so re-anchoring on time is what keeps the read free
 * of gaps. Records at the window's start time come again and are dropped.
 *
 * Only when a whole page shares one modification time (a bulk import) does the read page on with
 * `after`; when those pages reach the cap, it continues by `hs_object_id` within that time, then
 * after it.
 * @example for await (const page of searchModified({ modifiedProperty: 'hs_lastmodifieddate', properties, fromMs, search })) …
 */
export async function* searchModified(o: SearchModifiedOptions): AsyncGenerator<SearchPage> {
  const limit = o.pageSize ?? SEARCH_PAGE;
  const sortByModified = [{ propertyName: o.modifiedProperty, direction: 'ASCENDING' }];
  let anchor: { ms: number; op: 'GTE' | 'GT' } = { ms: o.fromMs ?? 0, op: 'GTE' };
  let after: string | undefined;
  let afterCount = 0;
  let byId: { ms: number; afterId: string } | undefined;
  // Records already given at the newest time seen, so that a window starting there skips them.
  let boundary = { ms: -Infinity, ids: new Set<string>() };
  let total: number | undefined;
  for (let page = 1; ; page++) {
    const body = byId
      ? {
          filterGroups: [
            {
              filters: [
                { propertyName: o.modifiedProperty, operator: 'EQ', value: String(byId.ms) },
                { propertyName: 'hs_object_id', operator: 'GT', value: byId.afterId },
              ],
            },
          ],
          sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
          properties: o.properties,
          limit,
        }
      : {
          filterGroups: [{ filters: [{ propertyName: o.modifiedProperty, operator: anchor.op, value: String(anchor.ms) }] }],
          sorts: sortByModified,
          properties: o.properties,
          limit,
          ...(after !== undefined ? { after } : {}),
        };
    const res = await o.search(body, page);
    if (!isObject(res) || !Array.isArray(res.results)) {
      throw new MalformedResponse(`${o.what}, search page ${page}: the response has no results list`, JSON.stringify(res));
    }
    total ??= typeof res.total === 'number' ? res.total : res.results.length;
    const fresh: unknown[] = [];
    let newest: number | undefined;
    let lastId: string | undefined;
    for (const r of res.results) {
      const id = idOf(r);
      const ms = modifiedMs(r, o.modifiedProperty);
      if (id !== undefined && ms !== undefined) {
        newest = newest === undefined ? ms : Math.max(newest, ms);
        lastId = id;
        if (ms > boundary.ms) boundary = { ms, ids: new Set([id]) };
        else if (ms === boundary.ms) {
          if (boundary.ids.has(id)) continue;
          boundary.ids.add(id);
        }
      }
      fresh.push(r);
    }
    yield { results: fresh, total, page };

    const next = isObject(res.paging) && isObject(res.paging.next) ? res.paging.next.after : undefined;
    const more = byId ? res.results.length >= limit && lastId !== undefined : next !== undefined && res.results.length > 0;
    if (!more) {
      if (!byId) return;
      // Every record of that one time is read: go on after it.
      anchor = { ms: byId.ms, op: 'GT' };
      byId = undefined;
      continue;
    }
    if (byId) {
      byId = { ms: byId.ms, afterId: lastId! };
    } else if (newest !== undefined && newest > anchor.ms) {
      anchor = { ms: newest, op: 'GTE' };
      after = undefined;
      afterCount = 0;
    } else {
      // The whole page has the window's start time: page on through it.
      afterCount += res.results.length;
      if (Number(next) >= SEARCH_CAP || afterCount >= SEARCH_CAP) {
        byId = { ms: anchor.ms, afterId: '0' };
        after = undefined;
        afterCount = 0;
      } else {
        after = String(next);
      }
    }
  }
}

/** A search result's id, if it has a usable one. */
export function idOf(r: unknown): string | undefined {
  if (!isObject(r)) return undefined;
  return typeof r.id === 'string' && r.id !== '' ? r.id : typeof r.id === 'number' ? String(r.id) : undefined;
}

/** A search result's modification time in epoch ms, from its properties (ISO text or epoch ms). */
export function modifiedMs(r: unknown, property: string): number | undefined {
  if (!isObject(r) || !isObject(r.properties)) return undefined;
  const v = r.properties[property];
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const ms = /^\d+$/.test(String(v)) ? Number(v) : Date.parse(String(v));
  return Number.isNaN(ms) ? undefined : ms;
}
