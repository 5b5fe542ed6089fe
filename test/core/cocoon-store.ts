/**
 * A store written by hand exactly as cocoon writes it: compact JSON from Go's
 * encoding/json (struct field order, omitempty, sorted map keys, `<>&`
 * escaped), a trailing newline, with a committed, an unnamed, a pending
 * record, fields a newer cocoon added, and data directories.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const WEB = 'WEBGOLDEN2WEBGOLDEN2WEBGOL';
export const FC = 'FCSNAPAAAAAAAAAAAAAAAAAAAA';
export const PEND = 'PENDINGBBBBBBBBBBBBBBBBBBB';

export function cocoonIndexText(root: string): string {
  const dataRoot = path.join(root, 'snapshot', 'localfile');
  const web =
    `{"cpu":2,"memory":1073741824,"storage":10737418240,"queue_size":256,"image":"ghcr.io/x/web:1","image_digest":"sha256:abc",` +
    `"image_type":"oci","network":"default","no_direct_io":true,"id":"${WEB}","name":"web-golden","description":"golden \\u003cimage\\u003e \\u0026 more",` +
    `"image_blob_ids":{"aa11":{},"bb22":{}},"hypervisor":"cloud-hypervisor","nics":1,"created_at":"2024-05-01T10:00:00.123456789+02:00",` +
    `"data_dir":"${dataRoot}/${WEB}","size_bytes":12345,"last_accessed_at":"2024-05-02T00:00:00Z"}`;
  const fc = `{"cpu":1,"memory":268435456,"id":"${FC}","name":"","hypervisor":"firecracker","created_at":"2024-04-01T00:00:00Z","data_dir":"${dataRoot}/${FC}"}`;
  const pend = `{"id":"${PEND}","name":"half-done","hypervisor":"firecracker","created_at":"2024-06-01T00:00:00Z","pending":true,"data_dir":"${dataRoot}/${PEND}"}`;
  return `{"snapshots":{"${FC}":${fc},"${PEND}":${pend},"${WEB}":${web}},"names":{"half-done":"${PEND}","web-golden":"${WEB}"},"version_hint":{"by":"cocoon"}}\n`;
}

export interface CocoonStore {
  root: string;
  indexFile: string;
  cleanup(): Promise<void>;
}

/** Writes the store above under a new temp root, with small data files. */
export async function writeCocoonStore(): Promise<CocoonStore> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-cocoon-'));
  const db = path.join(root, 'snapshot', 'db');
  const data = path.join(root, 'snapshot', 'localfile');
  await fs.mkdir(db, { recursive: true });
  for (const [id, files] of [
    [WEB, { 'config.json': '{"cpus":2}\n', 'memory-ranges': 'x'.repeat(5000), 'cocoon.json': '{}' }],
    [FC, { vmstate: 'vm', mem: 'm'.repeat(100) }],
    [PEND, { vmstate: 'partial' }],
  ] as const) {
    await fs.mkdir(path.join(data, id), { recursive: true });
    for (const [name, body] of Object.entries(files)) await fs.writeFile(path.join(data, id, name), body);
  }
  const indexFile = path.join(db, 'snapshots.json');
  await fs.writeFile(indexFile, cocoonIndexText(root));
  await fs.writeFile(path.join(db, 'snapshots.lock'), '');
  return { root, indexFile, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}
