import { isObject } from '../api/malformed-response.ts';

/**
 * The requested properties that no result of a page carries at all. HubSpot answers every
 * property it knows, `null` when empty, and leaves out silently one that does not exist: a
 * property missing from every result was deleted or renamed, and reading on would store its field
 * as empty on every record.
 * @example vanishedProperties([{ id: '1', properties: { dealname: 'A' } }], ['dealname', 'amount']) // ['amount']
 */
export function vanishedProperties(results: readonly unknown[], properties: readonly string[]): string[] {
  const shaped = results.filter((r): r is { properties: Record<string, unknown> } => isObject(r) && isObject(r.properties));
  if (shaped.length === 0) return [];
  return properties.filter((p) => shaped.every((r) => !(p in r.properties)));
}
