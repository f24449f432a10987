#!/usr/bin/env node
// The crm-pulse command. The sources are TypeScript, run through tsx (Node 20 cannot strip types).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
