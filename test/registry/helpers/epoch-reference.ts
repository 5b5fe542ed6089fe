/**
 * An independent model of epoch's `epoch push` / `epoch pull`, written for
 * the tests from the artifact format (docs/FORMAT.md, "Registry artifact"),
 * not from src-core: push reads a cocoon archive (as epoch reads `cocoon
 * snapshot export -o -`) and uploads one layer per entry body plus the
 * config blob and manifest; pull writes the tar epoch hands to `cocoon
 * snapshot import`. Plain fetch, tar-stream and node:crypto; buffers
 * whole blobs (test data is small).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

const P = 'application/vnd.cocoonstack.';
const mediaFor = (name: string): string =>
  ({ 'config.json': `${P}vm.config+json`, 'state.json': `${P}vm.state+json`, 'memory-ranges': `${P}vm.memory`, 'cidata.img': `${P}vm.cidata`, 'overlay.qcow2': `${P}disk.qcow2` })[name] ??
  (name.endsWith('.qcow2') ? `${P}disk.qcow2` : name.endsWith('.raw') ? `${P}disk.raw` : 'application/octet-stream');

const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface RefConn {
  base: string;
  headers?: Record<string, string>;
}

async function uploadBlob(conn: RefConn, repo: string, body: Buffer): Promise<string> {
  const digest = digestOf(body);
  const head = await fetch(`${conn.base}/v2/${repo}/blobs/${digest}`, { method: 'HEAD', headers: conn.headers ?? {} });
  if (head.status === 200) return digest;
  const start = await fetch(`${conn.base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: conn.headers ?? {} });
  if (start.status !== 202) throw new Error(`reference push: POST upload → ${start.status}`);
  const loc = new URL(start.headers.get('location') ?? '', conn.base);
  loc.searchParams.set('digest', digest);
  const put = await fetch(loc, { method: 'PUT', headers: { ...(conn.headers ?? {}), 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(body) });
  if (put.status !== 201) throw new Error(`reference push: PUT blob → ${put.status} ${await put.text()}`);
  return digest;
}

/** Pushes a raw cocoon archive (tar) as epoch does. Returns the manifest and config bytes it stored. */
export async function referencePush(conn: RefConn, repo: string, tag: string, archive: Buffer): Promise<{ manifest: Buffer; config: Buffer }> {
  const extract = tar.extract();
  const entries: { name: string; mode: number; pax: Record<string, string>; body: Buffer }[] = [];
  let envelope: { config: Record<string, unknown> } | null = null;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        if (header.name === 'snapshot.json') envelope = JSON.parse(body.toString('utf8')) as { config: Record<string, unknown> };
        else if (header.type === 'file') entries.push({ name: header.name, mode: header.mode ?? 0, pax: (header.pax ?? {}) as Record<string, string>, body });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([archive]).pipe(extract);
  await done;
  if (!envelope) throw new Error('reference push: no snapshot.json');
  const c = (envelope as { config: Record<string, unknown> }).config;
  const files: Record<string, Record<string, unknown>> = {};
  const layers: Record<string, unknown>[] = [];
  for (const e of entries) {
    const digest = await uploadBlob(conn, repo, e.body);
    const meta: Record<string, unknown> = {};
    if (e.mode) meta.mode = e.mode;
    if (e.pax['COCOON.sparse.map'] !== undefined) {
      meta.sparseMap = e.pax['COCOON.sparse.map'];
      meta.sparseSize = Number(e.pax['COCOON.sparse.size']);
    }
    files[e.name] = meta;
    layers.push({ mediaType: mediaFor(e.name), digest, size: e.body.length, annotations: { 'org.opencontainers.image.title': e.name } });
  }
  const cfg: Record<string, unknown> = { schemaVersion: 'v1', snapshotId: c.id ?? '' };
  const copy: [string, string][] = [
    ['description', 'description'], ['image', 'image'], ['imageDigest', 'image_digest'], ['imageType', 'image_type'], ['imageBlobIds', 'image_blob_ids'],
    ['hypervisor', 'hypervisor'], ['cpu', 'cpu'], ['memory', 'memory'], ['storage', 'storage'], ['nics', 'nics'], ['network', 'network'], ['windows', 'windows'],
  ];
  for (const [to, from] of copy) if (c[from] !== undefined && c[from] !== '' && c[from] !== 0 && c[from] !== false) cfg[to] = c[from];
  if (Object.keys(files).length > 0) cfg.files = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
  cfg.createdAt = new Date().toISOString();
  const config = Buffer.from(JSON.stringify(cfg));
  const configDigest = await uploadBlob(conn, repo, config);
  const manifestObj = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: `${P}snapshot.v1+json`,
    config: { mediaType: `${P}snapshot.config.v1+json`, digest: configDigest, size: config.length },
    layers,
    annotations: { 'org.opencontainers.image.created': `${new Date().toISOString().slice(0, 19)}Z` },
  };
  const manifest = Buffer.from(JSON.stringify(manifestObj, null, 2));
  const put = await fetch(`${conn.base}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...(conn.headers ?? {}), 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (put.status !== 201) throw new Error(`reference push: PUT manifest → ${put.status} ${await put.text()}`);
  return { manifest, config };
}

async function getBlob(conn: RefConn, repo: string, digest: string, size: number): Promise<Buffer> {
  const res = await fetch(`${conn.base}/v2/${repo}/blobs/${digest}`, { headers: conn.headers ?? {} });
  if (res.status !== 200) throw new Error(`reference pull: GET blob → ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length !== size || digestOf(body) !== digest) throw new Error(`reference pull: blob ${digest} does not match`);
  return body;
}

/** Pulls as epoch does: the tar `cocoon snapshot import --name LOCAL` would read. */
export async function referencePull(conn: RefConn, repo: string, reference: string, localName: string): Promise<Buffer> {
  const res = await fetch(`${conn.base}/v2/${repo}/manifests/${reference}`, {
    headers: { ...(conn.headers ?? {}), Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' },
  });
  if (res.status !== 200) throw new Error(`reference pull: GET manifest → ${res.status}`);
  const m = (await res.json()) as { artifactType?: string; config: { mediaType: string; digest: string; size: number }; layers: { digest: string; size: number; annotations?: Record<string, string> }[] };
  if (m.artifactType !== `${P}snapshot.v1+json`) throw new Error('reference pull: not a snapshot');
  const cfg = JSON.parse((await getBlob(conn, repo, m.config.digest, m.config.size)).toString('utf8')) as Record<string, unknown> & { files?: Record<string, { mode?: number; sparseMap?: string; sparseSize?: number }> };
  const pack = tar.pack();
  const out: Buffer[] = [];
  pack.on('data', (c: unknown) => out.push(c as Buffer));
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  const config: Record<string, unknown> = { id: cfg.snapshotId, name: localName };
  const back: [string, string][] = [
    ['description', 'description'], ['image', 'image'], ['image_digest', 'imageDigest'], ['image_type', 'imageType'], ['image_blob_ids', 'imageBlobIds'],
    ['hypervisor', 'hypervisor'], ['cpu', 'cpu'], ['memory', 'memory'], ['storage', 'storage'], ['nics', 'nics'], ['network', 'network'], ['windows', 'windows'],
  ];
  for (const [to, from] of back) if (cfg[from] !== undefined) config[to] = cfg[from];
  const envelope = Buffer.from(`${JSON.stringify({ version: 1, config }, null, 2)}\n`);
  pack.entry({ name: 'snapshot.json', mode: 0o644 }, envelope);
  for (const layer of m.layers) {
    const title = layer.annotations?.['org.opencontainers.image.title'];
    if (!title) throw new Error('reference pull: layer without title');
    const meta = cfg.files?.[title] ?? {};
    const body = await getBlob(conn, repo, layer.digest, layer.size);
    const pax = meta.sparseMap ? { 'COCOON.sparse.map': meta.sparseMap, 'COCOON.sparse.size': String(meta.sparseSize) } : undefined;
    pack.entry({ name: title, mode: meta.mode || 0o640, size: layer.size, ...(pax ? { pax } : {}) }, body);
  }
  pack.finalize();
  await ended;
  return Buffer.concat(out);
}
