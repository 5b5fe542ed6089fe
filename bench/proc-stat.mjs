// The machine's CPU time from the first line of /proc/stat (Linux only; null
// elsewhere), in clock ticks: USER_HZ, 1/100 s on most architectures
// (proc(5); `getconf CLK_TCK` gives it). Shared by the bench and the probe
// it preloads into the measured process, so this module imports nothing else.
import { readFileSync } from 'node:fs';

export const TICK_MS = 10;

/**
 * All CPU time so far, the part the hypervisor took for other guests
 * (steal), and the part spent serving interrupts (irq + softirq).
 */
export function cpuTicks() {
  try {
    // cpu  user nice system idle iowait irq softirq steal
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), irq: (f[5] ?? 0) + (f[6] ?? 0), steal: f[7] ?? 0 };
  } catch {
    return null;
  }
}
