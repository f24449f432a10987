import { PassThrough } from 'node:stream';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the crm-pulse CLI with captured output and no terminal, as a script would; `input` is typed on stdin. */
export async function runCliCaptured(argv: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  if (input !== undefined) stdin.end(input);
  const io = { env: { LOG_LEVEL: 'silent', ...env }, stdout, stderr, stdin } as unknown as CliIo;
  const code = await runCli(argv, io);
  return { code, out, err };
}
