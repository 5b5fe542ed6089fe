// The machine's CPU time from the first line of /proc/stat (Linux only; null
// elsewhere), in clock ticks: USER_HZ, 1/100 s on most architectures
// (proc(5); `getconf CLK_TCK` gives it). Shared by the bench and the probe
// it preloads into the measured process, so this module imports nothing else.
import { readFileSync } from 'node:fs';

export const TICK_MS = 10;

/**
 * All CPU time so far, the part the hypervisor took for other guests
 * (steal), and the part spent serving interrupts (irq + softirq); and each
 * CPU's steal (`stealByCpu[n]` for cpuN).
 */
export function cpuTicks() {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    // cpu  user nice system idle iowait irq softirq steal
    const fields = (line) => line.trim().split(/\s+/).slice(1, 9).map(Number);
    const f = fields(lines[0]);
    const stealByCpu = [];
    for (const line of lines.slice(1)) {
      const m = /^cpu(\d+) /.exec(line);
      if (!m) break;
      stealByCpu[Number(m[1])] = fields(line)[7] ?? 0;
    }
    return { total: f.reduce((a, b) => a + b, 0), irq: (f[5] ?? 0) + (f[6] ?? 0), steal: f[7] ?? 0, stealByCpu };
  } catch {
    return null;
  }
}
