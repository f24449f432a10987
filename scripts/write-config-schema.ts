// Writes crm-pulse.schema.json, the JSON Schema editors use to complete crm-pulse.yaml.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/config-schema.ts';

writeFileSync(new URL('../crm-pulse.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
