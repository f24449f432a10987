import { z } from 'zod';
import { HUBSPOT_OBJECTS, SALESFORCE_OBJECTS } from '../domain/crm-apis.ts';
import { CRM_OBJECTS, type CrmObject } from '../domain/crm-objects.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as HUBSPOT_TOKEN; the value itself goes in the environment, never in this file');

/** How one canonical field is read from a CRM record: a property name, null, or a spec. */
export const apiFieldSchema = z.union([
  z.string().min(1).describe('the HubSpot property or Salesforce field to read (Salesforce relationship fields with a dot: Manager.Name)'),
  z.null().describe('leave the field empty instead of reading the default property'),
  z.strictObject({
    from: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('the property to read; a list is read in turn and the non-empty values joined with a space (first and last name)'),
    map: z
      .record(z.string(), z.union([scalar, z.null()]))
      .optional()
      .describe('replace values, e.g. { PRODUCT_ISSUE: complaint }; null empties the value'),
    other: scalar.optional().describe('the value for anything `map` does not list (otherwise kept as read)'),
    default: scalar.optional().describe('the value when the property is empty'),
  }),
]);

/** One canonical field's mapping, as written in the config. */
export type ApiFieldConfig = z.output<typeof apiFieldSchema>;

/** `fields:` of a CRM source: per CRM object, canonical field → how to read it. */
function fieldsSchema(objects: Readonly<Record<string, CrmObject>>) {
  return z
    .record(z.string(), z.record(z.string(), apiFieldSchema))
    .default({})
    .superRefine((fields, ctx) => {
      for (const [object, mapping] of Object.entries(fields)) {
        const canonical = objects[object];
        if (!canonical) {
          ctx.addIssue({ code: 'custom', path: [object], message: `unknown object '${object}'; known: ${Object.keys(objects).join(', ')}` });
          continue;
        }
        const known = Object.keys(CRM_OBJECTS[canonical]);
        for (const field of Object.keys(mapping)) {
          if (!known.includes(field)) {
            ctx.addIssue({ code: 'custom', path: [object, field], message: `unknown field '${field}' for ${canonical}; known: ${known.join(', ')}` });
          }
        }
      }
    });
}

/** `objects:` of a CRM source: which objects to sync; they always load in the order of `all`. */
function objectsSchema<T extends string>(all: readonly [T, ...T[]]) {
  return z
    .array(z.enum(all))
    .min(1)
    .default([...all])
    .refine((list) => new Set(list).size === list.length, { message: 'an object is listed twice' });
}

const HUBSPOT_NAMES = Object.keys(HUBSPOT_OBJECTS) as [keyof typeof HUBSPOT_OBJECTS, ...(keyof typeof HUBSPOT_OBJECTS)[]];
const SALESFORCE_NAMES = Object.keys(SALESFORCE_OBJECTS) as [keyof typeof SALESFORCE_OBJECTS, ...(keyof typeof SALESFORCE_OBJECTS)[]];

/** A HubSpot portal, read through a private app's access token. */
export const hubspotSourceSchema = z.strictObject({
  kind: z.literal('hubspot'),
  name: z.string().optional().describe('shown in status and Slack'),
  token_env: envName
    .default('HUBSPOT_TOKEN')
    .describe('the environment variable holding the private app access token (scopes: crm.objects.*.read, crm.objects.owners.read, tickets)'),
  objects: objectsSchema(HUBSPOT_NAMES).describe(
    'HubSpot objects to sync: owners → owners, companies → accounts, contacts → customers, deals, tickets (loaded in that order)',
  ),
  fields: fieldsSchema(HUBSPOT_OBJECTS).describe("per HubSpot object: canonical field → property, replacing that field's default (see README)"),
  base_url: z.url().default('https://api.hubapi.com').describe('the API base URL; change it only for a proxy, a sandbox stand-in or tests'),
});

/** A Salesforce org, read through the REST API with a bearer token. */
export const salesforceSourceSchema = z.strictObject({
  kind: z.literal('salesforce'),
  name: z.string().optional().describe('shown in status and Slack'),
  instance_url_env: envName
    .default('SALESFORCE_INSTANCE_URL')
    .describe("the environment variable holding the org's instance URL, e.g. https://acme.my.salesforce.com"),
  token_env: envName.default('SALESFORCE_TOKEN').describe('the environment variable holding an access token; may be unset when refresh is configured'),
  refresh: z
    .strictObject({
      client_id_env: envName.describe("the environment variable holding the connected app's consumer key"),
      client_secret_env: envName.describe("the environment variable holding the connected app's consumer secret"),
      refresh_token_env: envName.describe('the environment variable holding the refresh token'),
      token_url: z
        .url()
        .default('https://login.salesforce.com/services/oauth2/token')
        .describe('the OAuth token endpoint: https://test.salesforce.com/services/oauth2/token for a sandbox, or your My Domain'),
    })
    .optional()
    .describe('renew the access token with the OAuth 2.0 refresh-token flow when Salesforce answers INVALID_SESSION_ID'),
  objects: objectsSchema(SALESFORCE_NAMES).describe(
    'sObjects to sync: User → owners, Account → accounts, Contact → customers, Opportunity → deals, Case → tickets (loaded in that order)',
  ),
  fields: fieldsSchema(SALESFORCE_OBJECTS).describe("per sObject: canonical field → field API name, replacing that field's default (see README)"),
  api_version: z
    .string()
    .regex(/^\d{2,3}\.0$/, 'a REST API version such as 62.0')
    .default('62.0')
    .describe('the REST API version of /services/data/vXX.X'),
});

/** A validated HubSpot source. */
export type HubspotSourceConfig = z.output<typeof hubspotSourceSchema>;
/** A validated Salesforce source. */
export type SalesforceSourceConfig = z.output<typeof salesforceSourceSchema>;
