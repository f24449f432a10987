// The baseline side of the chart bench: a warm headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core, no browser download) drawing the same vega-lite spec with vega-embed and
// taking an element screenshot at the same pixel ratio. It runs as a child process of the bench:
// the bench sends it a vega-lite spec over IPC and it answers with the time, the PNG's size and pixel
// width and height; `{ rss: true }` answers with the peak RSS of all the browser's processes.
// vega, vega-lite and vega-embed come from node_modules over loopback: no network.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';
/** The flags the browser runs with: headless, no sandbox (root in a container), nothing phoning home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const statusMb = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
};

/** The resident memory of every process whose command line names `marker` (the browser's profile folder). */
function treeRssMb(marker: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) total += statusMb(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** The folder of an installed package (their exports hide the browser builds from require.resolve). */
function packageDir(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = up;
  }
  return dir;
}

async function serve(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const { ensureFontConfig } = await import('../src/charts/ensure-font-config.ts');
  const scripts: Record<string, string> = {
    '/vega.js': join(packageDir('vega'), 'build/vega.min.js'),
    '/vega-lite.js': join(packageDir('vega-lite'), 'build/vega-lite.min.js'),
    '/vega-embed.js': join(packageDir('vega-embed'), 'build/vega-embed.min.js'),
  };
  const page = `<!doctype html><html><head><meta charset="utf-8">${Object.keys(scripts)
    .map((s) => `<script src="${s}"></script>`)
    .join('')}</head><body style="margin:0;background:#fff"><div id="vis"></div></body></html>`;
  const server = createServer((req, res) => {
    const file = scripts[req.url ?? ''];
    res.writeHead(200, { 'content-type': file ? 'text/javascript' : 'text/html; charset=utf-8' });
    res.end(file ? readFileSync(file) : page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const profile = mkdtempSync(join(tmpdir(), 'crm-pulse-chromium-'));
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, treeRssMb(profile))), 25);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    deviceScaleFactor: 2,
    viewport: { width: 900, height: 1400 },
    // The same fonts as crm-pulse, so both draw the same text.
    env: { ...process.env, FONTCONFIG_FILE: ensureFontConfig({}) },
  });
  const tab = context.pages()[0] ?? (await context.newPage());
  await tab.goto(`http://127.0.0.1:${port}/`);
  const stop = async () => {
    clearInterval(sampler);
    await context.close().catch(() => undefined);
    server.close();
    rmSync(profile, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('message', async (message: { spec?: unknown; rss?: boolean; keepPng?: boolean }) => {
    try {
      if (message.rss) {
        process.send!({ peakRssMb: Math.max(peakRssMb, treeRssMb(profile)) });
        return;
      }
      const t = performance.now();
      await tab.evaluate(async (spec) => {
        const embed = (globalThis as unknown as { vegaEmbed: (el: string, spec: unknown, opts: unknown) => Promise<unknown> }).vegaEmbed;
        await embed('#vis', spec, { actions: false, renderer: 'canvas' });
      }, message.spec);
      const png = await tab.locator('#vis canvas').screenshot({ type: 'png' });
      const ms = performance.now() - t;
      process.send!({
        ms,
        bytes: png.length,
        width: png.readUInt32BE(16),
        height: png.readUInt32BE(20),
        png: message.keepPng ? png.toString('base64') : undefined,
      });
    } catch (error) {
      process.send!({ error: (error as Error).message });
    }
  });
  process.send!({ ready: true });
}

if (process.argv.includes('--chart-chromium')) await serve();
