// The idle witness (see stalls.mjs): a process that does nothing but turn a
// 5 ms timer, recording each turn that came at least 1 ms late as
// [startNs, endNs] on the machine's monotonic clock. It prints "ready" once
// its timer runs, and on SIGTERM writes { periodMs, turns } as JSON to the
// file named by its first argument and exits.
import { writeFileSync } from 'node:fs';

const PERIOD_MS = 5;
const out = process.argv[2];
if (!out) throw new Error('usage: node witness.mjs OUTPUT.json');
const turns = [];
let last = null;
setInterval(() => {
  const now = Number(process.hrtime.bigint());
  if (last !== null && (now - last) / 1e6 - PERIOD_MS >= 1) turns.push([last, now]);
  if (last === null) process.stdout.write('ready\n');
  last = now;
}, PERIOD_MS);
process.on('SIGTERM', () => {
  writeFileSync(out, JSON.stringify({ periodMs: PERIOD_MS, turns }));
  process.exit(0);
});
