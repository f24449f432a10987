// The crm-pulse side of the chart bench, as production runs it: plain node on the compiled
// renderer in dist/ (no TypeScript loader), in a process of its own so that its memory is its own.
// The bench process sends it chart inputs over IPC; it renders each and answers with the time,
// the PNG's size and its pixel width and height. `{ rss: true }` answers with its current and
// peak RSS. Run `npm run build` first: the bench says so when dist/ is missing.
import { readFileSync } from 'node:fs';

const statusMb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const startRssMb = statusMb('VmRSS');
const { renderChart } = await import(new URL('../dist/charts/render-chart.js', import.meta.url).href);

process.on('message', async (message) => {
  try {
    if (message.rss) {
      process.send({ rssMb: statusMb('VmRSS'), peakRssMb: statusMb('VmHWM'), startRssMb });
      return;
    }
    const t = performance.now();
    const chart = await renderChart(message.input);
    const ms = performance.now() - t;
    process.send({ ms, bytes: chart.png.length, width: chart.width, height: chart.height, png: message.keepPng ? chart.png.toString('base64') : undefined });
  } catch (error) {
    process.send({ error: error instanceof Error ? error.message : String(error) });
  }
});
process.send({ ready: true });
