/**
 * Media types and annotation keys of epoch's snapshot artifact (epoch's
 * manifest/media.go), and how it tells artifact kinds apart
 * (manifest/types.go: artifactType first, then the config's media type, then
 * the envelope's).
 */

export const MEDIA_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MEDIA_DOCKER_INDEX = 'application/vnd.docker.distribution.manifest.list.v2+json';
const MEDIA_OCI_IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
const MEDIA_DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

export const ARTIFACT_SNAPSHOT = 'application/vnd.cocoonstack.snapshot.v1+json';
const ARTIFACT_OS_IMAGE = 'application/vnd.cocoonstack.os-image.v1+json';
const ARTIFACT_WINDOWS_IMAGE = 'application/vnd.cocoonstack.windows-image.v1+json';
export const MEDIA_SNAPSHOT_CONFIG = 'application/vnd.cocoonstack.snapshot.config.v1+json';

export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_BASE_IMAGE = 'cocoonstack.snapshot.baseimage';

/** What we ask registries for (epoch's client sends the same four). */
export const MANIFEST_ACCEPT = [MEDIA_OCI_MANIFEST, MEDIA_OCI_INDEX, MEDIA_DOCKER_MANIFEST, MEDIA_DOCKER_INDEX].join(', ');

const PREFIX = 'application/vnd.cocoonstack.';
const BY_NAME: Record<string, string> = {
  'config.json': `${PREFIX}vm.config+json`,
  'state.json': `${PREFIX}vm.state+json`,
  'memory-ranges': `${PREFIX}vm.memory`,
  'cidata.img': `${PREFIX}vm.cidata`,
  'overlay.qcow2': `${PREFIX}disk.qcow2`,
};

/** A data file's layer media type, by name as epoch's MediaTypeForCocoonFile chooses it. */
export function mediaTypeForFile(name: string): string {
  const known = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
  if (known) return known;
  if (name.endsWith('.qcow2')) return `${PREFIX}disk.qcow2`;
  if (name.endsWith('.raw')) return `${PREFIX}disk.raw`;
  return 'application/octet-stream';
}

export type ArtifactKind = 'snapshot' | 'cloud-image' | 'container-image' | 'image-index' | 'unknown';

export function classifyManifest(fields: { artifactType?: unknown; configMediaType?: unknown; mediaType?: unknown }): ArtifactKind {
  if (fields.artifactType === ARTIFACT_OS_IMAGE || fields.artifactType === ARTIFACT_WINDOWS_IMAGE) return 'cloud-image';
  if (fields.artifactType === ARTIFACT_SNAPSHOT) return 'snapshot';
  if (fields.configMediaType === MEDIA_OCI_IMAGE_CONFIG || fields.configMediaType === MEDIA_DOCKER_CONFIG) return 'container-image';
  if (fields.mediaType === MEDIA_OCI_INDEX || fields.mediaType === MEDIA_DOCKER_INDEX) return 'image-index';
  return 'unknown';
}
