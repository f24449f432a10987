// Preloaded (node --import) into a process the cli bench measures: on exit it writes the process's
// own CPU time and peak RSS to the file named by CRM_PULSE_RUSAGE_FILE, so a whole command is
// measured from inside, the same way for crm-pulse and for the `node -e 0` baseline.
import { writeFileSync } from 'node:fs';

const file = process.env.CRM_PULSE_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6, peakRssMb: u.maxRSS / 1024 }));
  });
}
