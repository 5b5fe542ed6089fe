/**
 * The snapshot manifest (an OCI image manifest with epoch's artifactType,
 * one layer per data file titled with its name), written as epoch's
 * json.MarshalIndent writes it, and read back from untrusted registries
 * with every field checked before anything is fetched.
 */
import { SnapDeskError } from '../errors';
import { plainNameProblem, METADATA_NAME } from '../archive/entry-name';
import { goMarshal, rfc3339Seconds, type GoValue } from './go-json';
import {
  ANNOTATION_BASE_IMAGE,
  ANNOTATION_CREATED,
  ANNOTATION_TITLE,
  ARTIFACT_SNAPSHOT,
  classifyManifest,
  MEDIA_OCI_MANIFEST,
  MEDIA_SNAPSHOT_CONFIG,
  type ArtifactKind,
} from './media';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface SnapshotLayer extends Descriptor {
  /** The data file's name (the title annotation). */
  title: string;
}

export interface IndexChild {
  digest: string;
  platform?: { os?: string; architecture?: string };
}

export type ParsedManifest =
  | { kind: 'snapshot'; config: Descriptor; layers: SnapshotLayer[]; annotations: Record<string, string> }
  | { kind: 'image-index'; manifests: IndexChild[] }
  | { kind: Exclude<ArtifactKind, 'snapshot' | 'image-index'>; artifactType: string; configMediaType: string };

/** Epoch reads at most 1 MiB of a config blob; a bigger one is not a snapshot config. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

const descriptorValue = (d: Descriptor): GoValue => {
  const v: Record<string, GoValue> = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.annotations && Object.keys(d.annotations).length > 0) v.annotations = new Map(Object.entries(d.annotations));
  return v;
};

/** The manifest bytes a push stores (two-space MarshalIndent, as epoch's buildSnapshotManifest). */
export function encodeManifest(config: Descriptor, layers: Descriptor[], createdMs: number, baseImage?: string): Buffer {
  const annotations = new Map<string, GoValue>([[ANNOTATION_CREATED, rfc3339Seconds(createdMs)]]);
  if (baseImage) annotations.set(ANNOTATION_BASE_IMAGE, baseImage);
  const manifest: Record<string, GoValue> = {
    schemaVersion: 2,
    mediaType: MEDIA_OCI_MANIFEST,
    artifactType: ARTIFACT_SNAPSHOT,
    config: descriptorValue(config),
    layers: layers.map(descriptorValue),
    annotations,
  };
  return Buffer.from(goMarshal(manifest, '  '), 'utf8');
}

const bad = (why: string): SnapDeskError => new SnapDeskError('invalid_archive', `the registry's manifest is not a valid snapshot manifest: ${why}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseDescriptor(v: unknown, where: string): Descriptor {
  if (!isObject(v)) throw bad(`${where} is not an object`);
  if (typeof v.mediaType !== 'string') throw bad(`${where} has no mediaType`);
  if (typeof v.digest !== 'string' || !DIGEST.test(v.digest)) throw bad(`${where} has no sha256 digest (other algorithms are not supported)`);
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) throw bad(`${where} has no valid size`);
  const d: Descriptor = { mediaType: v.mediaType, digest: v.digest, size: v.size };
  if (v.annotations !== undefined && v.annotations !== null) {
    if (!isObject(v.annotations) || !Object.values(v.annotations).every((a) => typeof a === 'string')) throw bad(`${where} has annotations that are not strings`);
    d.annotations = v.annotations as Record<string, string>;
  }
  return d;
}

export function parseManifest(bytes: Buffer): ParsedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad('it is not JSON');
  }
  if (!isObject(raw)) throw bad('it is not a JSON object');
  const configMediaType = isObject(raw.config) ? raw.config.mediaType : undefined;
  const kind = classifyManifest({ artifactType: raw.artifactType, configMediaType, mediaType: raw.mediaType });
  if (kind === 'image-index') {
    if (!Array.isArray(raw.manifests)) throw bad('the image index lists no manifests');
    const manifests: IndexChild[] = [];
    for (const m of raw.manifests) {
      if (!isObject(m) || typeof m.digest !== 'string' || !DIGEST.test(m.digest)) continue;
      const child: IndexChild = { digest: m.digest };
      if (isObject(m.platform)) {
        child.platform = {};
        if (typeof m.platform.os === 'string') child.platform.os = m.platform.os;
        if (typeof m.platform.architecture === 'string') child.platform.architecture = m.platform.architecture;
      }
      manifests.push(child);
    }
    return { kind, manifests };
  }
  if (kind !== 'snapshot') {
    return { kind, artifactType: typeof raw.artifactType === 'string' ? raw.artifactType : '', configMediaType: typeof configMediaType === 'string' ? configMediaType : '' };
  }
  const config = parseDescriptor(raw.config, 'the config descriptor');
  if (config.mediaType !== MEDIA_SNAPSHOT_CONFIG) throw bad(`its config has media type "${config.mediaType}", not ${MEDIA_SNAPSHOT_CONFIG}`);
  if (config.size > MAX_CONFIG_BYTES) throw bad(`its config blob is ${config.size} bytes, more than ${MAX_CONFIG_BYTES}`);
  // Epoch writes "layers": null for a snapshot without data files.
  const rawLayers = raw.layers ?? [];
  if (!Array.isArray(rawLayers)) throw bad('"layers" is not a list');
  const seen = new Set<string>([METADATA_NAME]);
  const layers = rawLayers.map((l, i): SnapshotLayer => {
    const d = parseDescriptor(l, `layer ${i + 1}`);
    const title = d.annotations?.[ANNOTATION_TITLE];
    if (!title) throw bad(`layer ${i + 1} (${d.digest}) has no ${ANNOTATION_TITLE} annotation naming its file`);
    const problem = plainNameProblem(title);
    if (problem) throw bad(`layer ${i + 1} is titled ${JSON.stringify(title.slice(0, 120))}: ${problem}`);
    if (seen.has(title)) throw bad(`two layers (or a layer and the metadata) are both named "${title}"`);
    seen.add(title);
    return { ...d, title };
  });
  const annotations = isObject(raw.annotations) ? Object.fromEntries(Object.entries(raw.annotations).filter(([, v]) => typeof v === 'string')) as Record<string, string> : {};
  return { kind, config, layers, annotations };
}

/**
 * The child of an image index to pull, as epoch's pickIndexChild chooses:
 * linux/amd64, else the first child with a platform whose architecture is
 * not "unknown" (attestation manifests say "unknown").
 */
export function pickIndexChild(manifests: IndexChild[]): IndexChild | null {
  const exact = manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64');
  if (exact) return exact;
  return manifests.find((m) => m.platform !== undefined && m.platform.architecture !== 'unknown') ?? null;
}
