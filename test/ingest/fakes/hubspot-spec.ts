// What crm-pulse relies on in HubSpot's public API, written in our own words from HubSpot's
// OpenAPI specs (github.com/HubSpot/HubSpot-public-api-spec-collection, read 2026-12; those files
// are proprietary, so none of their text is copied here):
// - PublicApiSpecs/CRM/Deals/Rollouts/424/v3/deals.json (commit 00d0a5b5): the search path
//   /crm/v3/objects/0-3/search, PublicObjectSearchRequest, Filter, Error, SimplePublicObject.
//   Companies, contacts and tickets have the same shapes under 0-2, 0-1 and 0-5.
// - PublicApiSpecs/CRM/Associations/Rollouts/130902/v4/associations.json: POST
//   /crm/v4/associations/{from}/{to}/batch/read, answered 200, or 207 with errors for inputs
//   that have none.
// The fake HubSpot checks every request against these rules and every answer it gives, so the
// connector and the fake are both held to the spec.
import { Ajv2020 } from 'ajv/dist/2020.js';

/** Object type ids HubSpot's v3 specs use, and the names older paths use (both still answer). */
export const OBJECT_TYPE_IDS: Readonly<Record<string, string>> = { '0-1': 'contacts', '0-2': 'companies', '0-3': 'deals', '0-5': 'tickets' };

const objectType = `(?:${Object.keys(OBJECT_TYPE_IDS).join('|')}|${Object.values(OBJECT_TYPE_IDS).join('|')})`;

/** The endpoints we call, as method and path pattern. The spec names deals 0-3; `deals` still works, so both are accepted. */
export const HUBSPOT_PATHS: readonly { method: 'GET' | 'POST'; path: RegExp; body?: 'search' | 'associations' }[] = [
  { method: 'POST', path: new RegExp(`^/crm/v3/objects/${objectType}/search$`), body: 'search' },
  { method: 'GET', path: new RegExp(`^/crm/v3/objects/${objectType}$`) },
  { method: 'GET', path: /^\/crm\/v3\/owners\/?$/ },
  { method: 'GET', path: /^\/crm\/v3\/pipelines\/deals$/ },
  { method: 'POST', path: new RegExp(`^/crm/v4/associations/${objectType}/${objectType}/batch/read$`), body: 'associations' },
];

// The operators a search filter may use (the spec's Filter.operator enumeration).
const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
];

const filter = {
  type: 'object',
  additionalProperties: false,
  required: ['propertyName', 'operator'],
  properties: {
    propertyName: { type: 'string', minLength: 1 },
    operator: { enum: OPERATORS },
    // Values travel as strings, numbers and dates included.
    value: { type: 'string' },
    highValue: { type: 'string' },
    values: { type: 'array', items: { type: 'string' } },
  },
};

const searchRequest = {
  type: 'object',
  additionalProperties: false,
  properties: {
    query: { type: 'string', maxLength: 3000 },
    // "up to 200 objects" per page
    limit: { type: 'integer', minimum: 1, maximum: 200 },
    // a cursor token: a string, not a number
    after: { type: 'string' },
    properties: { type: 'array', items: { type: 'string' } },
    // "up to 6 groups of filters"
    filterGroups: {
      type: 'array',
      maxItems: 6,
      items: { type: 'object', additionalProperties: false, required: ['filters'], properties: { filters: { type: 'array', items: filter } } },
    },
    // The spec types sorts as strings, but the live API sorts by objects { propertyName,
    // direction }, as HubSpot's search guide shows, and ignores a string's direction; HubSpot's
    // own clients had to be fixed for it (HubSpot/hubspot-api-nodejs#14 and #559,
    // hubspot-api-python#236). The live API wins: we accept the object form only.
    sorts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['propertyName'],
        properties: { propertyName: { type: 'string' }, direction: { enum: ['ASCENDING', 'DESCENDING'] } },
      },
    },
  },
};

const associationsRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['inputs'],
  properties: {
    inputs: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string' }, after: { type: 'string' } } },
    },
  },
};

/** A record: property values are strings or null, never numbers or booleans. */
const record = {
  type: 'object',
  required: ['id', 'properties', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    properties: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    archived: { type: 'boolean' },
    archivedAt: { type: 'string', format: 'date-time' },
  },
};

const paging = {
  type: 'object',
  properties: { next: { type: 'object', required: ['after'], properties: { after: { type: 'string' }, link: { type: 'string' } } } },
};

const searchResponse = {
  type: 'object',
  required: ['total', 'results'],
  properties: { total: { type: 'integer' }, results: { type: 'array', items: record }, paging },
};
const listResponse = { type: 'object', required: ['results'], properties: { results: { type: 'array', items: record }, paging } };

const associationsResponse = {
  type: 'object',
  required: ['status', 'results', 'startedAt', 'completedAt'],
  properties: {
    status: { enum: ['PENDING', 'PROCESSING', 'CANCELED', 'COMPLETE'] },
    startedAt: { type: 'string', format: 'date-time' },
    completedAt: { type: 'string', format: 'date-time' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          to: {
            type: 'array',
            items: {
              type: 'object',
              required: ['toObjectId', 'associationTypes'],
              properties: {
                toObjectId: { type: ['integer', 'string'] },
                associationTypes: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['category', 'typeId'],
                    properties: {
                      category: { enum: ['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED'] },
                      typeId: { type: 'integer' },
                      label: { type: ['string', 'null'] },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    errors: { type: 'array', items: { type: 'object', required: ['status', 'category', 'message'] } },
    numErrors: { type: 'integer' },
  },
};

/** Every error HubSpot answers carries these three (the spec's Error: all required). */
const errorBody = {
  type: 'object',
  required: ['category', 'correlationId', 'message'],
  properties: { category: { type: 'string' }, correlationId: { type: 'string', format: 'uuid' }, message: { type: 'string' } },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
// date-time and uuid, as the spec formats them; checked by pattern to stay free of ajv-formats' CommonJS default here.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const check = {
  search: ajv.compile(searchRequest),
  associations: ajv.compile(associationsRequest),
  searchResponse: ajv.compile(searchResponse),
  listResponse: ajv.compile(listResponse),
  associationsResponse: ajv.compile(associationsResponse),
  error: ajv.compile(errorBody),
};

function words(name: string, validate: (typeof check)[keyof typeof check], value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${name}${e.instancePath}: ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : ''}${e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}` : ''}`,
  );
}

/** What in a request breaks HubSpot's spec, in words; empty when it conforms. */
export function hubspotRequestProblems(method: string, pathAndQuery: string, body: unknown): string[] {
  const path = pathAndQuery.split('?')[0]!;
  const endpoint = HUBSPOT_PATHS.find((p) => p.method === method && p.path.test(path));
  if (!endpoint) return [`${method} ${path}: no such endpoint in HubSpot's spec`];
  if (endpoint.body === 'search') return words('search request', check.search, body);
  if (endpoint.body === 'associations') return words('associations request', check.associations, body);
  return [];
}

/** What in an answer breaks HubSpot's spec, in words; empty when it conforms. */
export function hubspotResponseProblems(method: string, pathAndQuery: string, status: number, body: unknown): string[] {
  const path = pathAndQuery.split('?')[0]!;
  if (status >= 400) return words(`HTTP ${status} error body`, check.error, body);
  const endpoint = HUBSPOT_PATHS.find((p) => p.method === method && p.path.test(path));
  if (endpoint?.body === 'search') return words('search answer', check.searchResponse, body);
  if (endpoint?.body === 'associations') {
    // 207 is the spec's "multiple statuses": some inputs had no associations, said in errors.
    if (status !== 200 && status !== 207) return [`associations answer: status ${status} is neither 200 nor 207`];
    return words('associations answer', check.associationsResponse, body);
  }
  if (endpoint && /\/objects\//.test(path)) return words('list answer', check.listResponse, body);
  return [];
}
