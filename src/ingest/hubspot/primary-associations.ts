import { isObject } from '../api/malformed-response.ts';

/**
 * Canonical reference fields that HubSpot keeps as associations rather than properties, per
 * object: the field, and the object associated. Search results carry no associations, so they
 * are read in batches (one request per page) unless the config maps the field itself.
 */
export const HUBSPOT_ASSOCIATIONS: Readonly<Record<string, Readonly<Record<string, 'companies' | 'contacts'>>>> = {
  deals: { account: 'companies' },
  tickets: { account: 'companies', customer: 'contacts' },
};

/**
 * Each record's primary associated record of `to` (the association labelled Primary), else its
 * first, through POST /crm/v4/associations/{from}/{to}/batch/read. Records without one are absent.
 * @example await primaryAssociations(post, 'deals', 'companies', ['18123001'])
 */
export async function primaryAssociations(
  post: (path: string, body: object, what: string) => Promise<unknown>,
  from: string,
  to: string,
  ids: readonly string[],
  what: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const res = await post(`/crm/v4/associations/${from}/${to}/batch/read`, { inputs: ids.map((id) => ({ id })) }, what);
  const results = isObject(res) && Array.isArray(res.results) ? res.results : [];
  for (const r of results) {
    if (!isObject(r) || !isObject(r.from) || !Array.isArray(r.to)) continue;
    const targets = r.to.filter(isObject);
    const primary =
      targets.find((t) => Array.isArray(t.associationTypes) && t.associationTypes.some((a) => isObject(a) && a.label === 'Primary')) ?? targets[0];
    if (primary && (typeof primary.toObjectId === 'number' || typeof primary.toObjectId === 'string')) out.set(String(r.from.id), String(primary.toObjectId));
  }
  return out;
}
