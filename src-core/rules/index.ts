/**
 * The rules every process shares: snapshot names and descriptions, archive
 * file names, byte and count formatting, the CSP and our header names, the
 * trash's longest retention, and the escaping of control characters. Pure TypeScript with no imports from
 * outside this folder, so the core, both shells and the window use the same
 * code (the lint config enforces both).
 */
export * from './unsafe-text';
export * from './snapshot-names';
export * from './archive-files';
export * from './byte-sizes';
export * from './http';
export * from './trash-limits';
