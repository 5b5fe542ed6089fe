// The benchmark's report: one table per data set, then the targets with a verdict.
import { fmtBytes, fmtRatio, printTable } from './report.mjs';

const TARGETS = { exportVsPigz: 0.5, importVsPigz: 0.6, rssMB: 200, delayMs: 50, busyMs: 50, sparseSeconds: 1 };
const verdict = (ok) => (ok ? 'MET' : 'MISSED');
const cell = (v, f) => (v !== null && v !== undefined ? f(v) : '');
const pair = (a, b) => `${(a ?? 0).toFixed(0)} / ${(b ?? 0).toFixed(0)} ms`;
const range = (r) => `${fmtRatio(r.median)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;

function rowsTable(lines, rows) {
  printTable(
    lines,
    ['operation', 'command', 'median s', 'runs s', 'output', 'peak RSS', 'CPU s', 'max loop delay (runs)', 'main thread busy', 'own delay / held', 'host steal (runs)'],
    rows.map((r) => [
      r.op,
      r.label,
      r.median.toFixed(2),
      r.runs.map((x) => x.toFixed(2)).join(' / '),
      cell(r.output, fmtBytes),
      cell(r.rss, (v) => `${v.toFixed(0)} MiB`),
      cell(r.cpu, (v) => v.toFixed(1)),
      cell(r.delay, (v) => (r.delays?.length > 1 ? `${v.toFixed(0)} ms (${r.delays.map((d) => d.toFixed(0)).join(' / ')})` : `${v.toFixed(0)} ms`)),
      cell(r.busy, (v) => `${v.toFixed(0)} ms`),
      r.ownDelay !== null && r.ownDelay !== undefined ? `${r.ownDelay.toFixed(0)} / ${(r.ownBusy ?? 0).toFixed(0)} ms` : '',
      r.steals?.some((x) => x !== null) ? `${r.steals.map((x) => (x === null ? '?' : x.toFixed(0))).join(' / ')} %` : '',
    ]),
  );
}

/** The host's steal in the round with the longest delay, when it is known: what a reader needs to weigh that delay. */
function worstRoundSteal(rows) {
  let worst = null;
  for (const r of rows) {
    for (const [i, d] of (r.delays ?? []).entries()) if (worst === null || d > worst.delay) worst = { delay: d, steal: r.steals?.[i] ?? null };
  }
  return worst && worst.steal !== null ? ` (host steal ${worst.steal.toFixed(0)}% in that round)` : '';
}

/** Where the main thread was in the turn with the longest own delay (stalls.mjs): running, ready but waiting for a CPU, or neither (asleep). */
function worstOwnTurn(row) {
  const w = row.ownWorst;
  if (!w || w.heldMs === null || w.queuedMs === null) return '';
  // The turn lasted its period plus lateMs; what the thread neither ran nor waited for a CPU it slept.
  const asleep = Math.max(0, w.lateMs + w.periodMs - w.heldMs - w.queuedMs);
  return ` [that turn: ${w.lateMs.toFixed(0)} ms late, ${w.machineMs.toFixed(0)} of them the machine's; the main thread ran ${w.heldMs.toFixed(0)} ms, waited ${w.queuedMs.toFixed(0)} ms for a CPU, slept ${asleep.toFixed(0)} ms]`;
}

/** What the kernel did during the longest hold (rss-probe.mjs): the thread's page faults, the machine's interrupt time. */
function kernelShare(row) {
  const k = row.busyKernel;
  return k ? ` (in it: ${k.pageFaults} page faults, ${k.irqMs} ms of interrupts machine-wide)` : '';
}

export function reportAll(results, { bigExport, mem2, memory2, hasPigz }) {
  const lines = [''];
  const steal = results.host.steal === null ? '' : `, host CPU steal ${results.host.steal.toFixed(1)}% over the whole run`;
  lines.push(`Snapshot Desk benchmark — scale ${results.scale}, ${results.runs} interleaved runs per contender (median; ratios are per round, median and range), ${results.host.cpus} CPUs, node ${results.host.node}, deflater ${results.host.deflater}${steal}`);
  const checks = [];
  let peakRss = mem2?.rssMiB ?? 0;
  for (const set of results.sets) {
    lines.push('', `Data set "${set.name}": ${set.description}`, '');
    rowsTable(lines, set.rows);
    const sd = set.export.snapdesk;
    const si = set.import.snapdesk;
    peakRss = Math.max(peakRss, sd.rss ?? 0, si.rss ?? 0, set.verify.verify.rss ?? 0);
    if (hasPigz) {
      checks.push([`[${set.name}] export time / (tar | pigz -1 -p2)`, range(set.exportRatio), `≤ ${TARGETS.exportVsPigz}×`, verdict(set.exportRatio.median <= TARGETS.exportVsPigz)]);
      checks.push([`[${set.name}] import time / (pigz -dc | tar -xS)`, range(set.importRatio), `≤ ${TARGETS.importVsPigz}×`, verdict(set.importRatio.median <= TARGETS.importVsPigz)]);
    }
    // The verdicts judge what the process held up on its own: the time an idle witness process
    // beside it was held up too, or its thread's CPU was stolen, is the machine's (stalls.mjs);
    // the raw figures are shown with them.
    const own = sd.ownDelay !== null || si.ownDelay !== null;
    const delay = own ? Math.max(sd.ownDelay ?? 0, si.ownDelay ?? 0) : Math.max(sd.delay ?? 0, si.delay ?? 0);
    checks.push([
      `[${set.name}] longest event-loop delay, export / import`,
      `${pair(sd.delay, si.delay)}${worstRoundSteal([sd, si])}${own ? `; not shared by an idle process beside it: ${pair(sd.unsharedDelay, si.unsharedDelay)}; nor stolen from its own CPU: ${pair(sd.ownDelay, si.ownDelay)}${worstOwnTurn((si.ownDelay ?? 0) > (sd.ownDelay ?? 0) ? si : sd)} (the idle one's longest: ${pair(sd.witnessDelay, si.witnessDelay)})` : ''}`,
      `≤ ${TARGETS.delayMs} ms${own ? ' own' : ''}`,
      verdict(delay <= TARGETS.delayMs),
    ]);
    if (sd.busy !== null || si.busy !== null) {
      const ownBusy = sd.ownBusy !== null || si.ownBusy !== null;
      const busy = ownBusy ? Math.max(sd.ownBusy ?? 0, si.ownBusy ?? 0) : Math.max(sd.busy ?? 0, si.busy ?? 0);
      checks.push([
        `[${set.name}] longest the main thread held the loop, export / import`,
        `${pair(sd.busy, si.busy)}${kernelShare((si.busy ?? 0) > (sd.busy ?? 0) ? si : sd)}${ownBusy ? `; not shared: ${pair(sd.ownBusy, si.ownBusy)}` : ''}`,
        `≤ ${TARGETS.busyMs} ms${ownBusy ? ' own' : ''}`,
        verdict(busy <= TARGETS.busyMs),
      ]);
    }
    const rt = set.roundTrip;
    checks.push([
      `[${set.name}] round trip: sizes equal, bytes identical, no extra disk`,
      `${rt.sizesMatch && rt.identical ? 'yes' : 'NO'}; ${fmtBytes(rt.allocatedImported)} vs ${fmtBytes(rt.allocatedSource)} allocated`,
      'identical, ≤ 1.05× allocated',
      verdict(rt.sizesMatch && rt.identical && rt.allocatedImported <= rt.allocatedSource * 1.05),
    ]);
  }
  if (results.extra.length > 0) {
    lines.push('', 'Other checks', '');
    rowsTable(lines, results.extra);
  }
  lines.push('');
  checks.push(['peak RSS of snapdesk (exports, imports, verify, 2 GiB memory export)', `${peakRss.toFixed(0)} MiB`, `< ${TARGETS.rssMB} MB`, verdict(peakRss * 1.048576 < TARGETS.rssMB)]);
  if (bigExport) checks.push(['100 GiB-apparent sparse disk export', `${bigExport.median.toFixed(2)} s`, `< ${TARGETS.sparseSeconds} s`, verdict(bigExport.median < TARGETS.sparseSeconds)]);
  const base = results.sets.find((s) => s.name === 'bulk')?.export.snapdesk.rss;
  if (base && mem2) {
    const grow = (mem2.rssMiB ?? 0) - base;
    checks.push([`RSS growth, export of ${fmtBytes(memory2)} vs the bulk set's memory`, `${base.toFixed(0)} → ${(mem2.rssMiB ?? 0).toFixed(0)} MiB (${grow >= 0 ? '+' : ''}${grow.toFixed(0)})`, 'flat (< +32 MiB)', verdict(grow < 32)]);
  }
  printTable(lines, ['check', 'measured', 'target', ''], checks);
  results.targets = checks.map(([check, measured, target, v]) => ({ check, measured, target, verdict: v }));
  return lines.join('\n');
}
