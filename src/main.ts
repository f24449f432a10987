// Entry point of the crm-pulse command (bin/crm-pulse.js and npm start).
import { existsSync } from 'node:fs';
import { runCli } from './cli/run-cli.ts';

// A .env file in the working directory is read once, before anything looks at the environment.
if (existsSync('.env')) process.loadEnvFile('.env');
// `crm-pulse config schema | head`: the reader closed the pipe early. Stop quietly, as Unix tools
// do, instead of dying on the unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
process.exitCode = await runCli(process.argv.slice(2));
