// Entry point of the crm-pulse command (bin/crm-pulse.js and npm start).
import { runCli } from './cli/run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
