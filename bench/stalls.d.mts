/** Types for stalls.mjs (the bench is plain JavaScript run by node; the tests are TypeScript). */
export type Turn = [startNs: number, endNs: number, heldMs?: number | null, queuedMs?: number | null, stealMs?: number | null];
export interface TurnBreakdown {
  lateMs: number;
  periodMs: number;
  heldMs: number | null;
  queuedMs: number | null;
  machineMs: number;
}
export function lateSpans(turns: readonly Turn[], periodMs: number): [number, number][];
export function covered(spans: readonly [number, number][], from: number, to: number): number;
export function ownShare(turns: readonly Turn[], witness: readonly Turn[], periodMs: number): { delayMs: number; heldMs: number | null; worst: TurnBreakdown | null; witnessOnlyDelayMs: number };
export function longestDelay(turns: readonly Turn[], periodMs: number): number;
