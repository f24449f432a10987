// Entry point of the crm-pulse command (bin/crm-pulse.js and npm start).
import { existsSync } from 'node:fs';
import { runCli } from './cli/run-cli.ts';

// A .env file in the working directory is read once, before anything looks at the environment.
if (existsSync('.env')) process.loadEnvFile('.env');
process.exitCode = await runCli(process.argv.slice(2));
