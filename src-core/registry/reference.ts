/**
 * Registry references: REGISTRY/REPO[:TAG|@sha256:HEX], with the grammar of
 * the OCI distribution spec (lower-case path components, 128-character tags).
 * The registry host is always explicit: a first component that is not a host
 * (no dot, no port, not "localhost") is refused rather than guessed.
 */
import { SnapDeskError } from '../errors';

export interface RegistryRef {
  /** Host as written, with its port: "ghcr.io", "127.0.0.1:5000", "[::1]:5000". */
  registry: string;
  /** Repository path inside the registry: "team/web-golden". */
  repository: string;
  /** Tag, or undefined when a digest is given. */
  tag?: string;
  /** "sha256:<64 hex>" when pulling by digest. */
  digest?: string;
}

export const DEFAULT_TAG = 'latest';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]{1,5})?$/;

const invalidRef = (text: string, why: string): SnapDeskError =>
  new SnapDeskError('invalid_ref', `"${text}" is not a registry reference: ${why} (expected REGISTRY/REPOSITORY[:TAG], e.g. ghcr.io/team/web-golden:v1)`, { ref: text });

const looksLikeHost = (part: string): boolean => part.includes('.') || part.includes(':') || part === 'localhost';

/** The tag or digest the manifest is addressed by. */
export const manifestReference = (ref: RegistryRef): string => ref.digest ?? ref.tag ?? DEFAULT_TAG;

/** "host/repo:tag" or "host/repo@sha256:…", as people write it. */
export const formatRef = (ref: RegistryRef): string =>
  `${ref.registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag ?? DEFAULT_TAG}`}`;

/** Validates a bare registry host (login, logout). */
export function parseRegistryHost(text: string): string {
  const host = text.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (!HOST.test(host) || !looksLikeHost(host)) {
    throw new SnapDeskError('invalid_ref', `"${text}" is not a registry host (expected e.g. ghcr.io or 127.0.0.1:5000)`, { ref: text });
  }
  return host;
}

/**
 * Parses a reference. `allowDigest: false` is for push (a push names a tag);
 * `allowTagOrDigest: false` for `tags`, which takes a bare repository.
 */
export function parseReference(text: string, opts: { allowDigest?: boolean; repositoryOnly?: boolean } = {}): RegistryRef {
  const slash = text.indexOf('/');
  if (slash <= 0) throw invalidRef(text, 'it names no registry host');
  const registry = text.slice(0, slash);
  if (!HOST.test(registry) || !looksLikeHost(registry)) throw invalidRef(text, `"${registry}" is not a registry host`);
  let rest = text.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalidRef(text, 'a digest must be sha256: followed by 64 lower-case hex digits');
  }
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalidRef(text, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  if (rest === '' || !rest.split('/').every((c) => COMPONENT.test(c))) {
    throw invalidRef(text, 'the repository must be lower-case letters, digits and . _ - separators, in /-separated parts');
  }
  if (rest.length > 255) throw invalidRef(text, 'the repository name is longer than 255 characters');
  if (opts.repositoryOnly && (tag !== undefined || digest !== undefined)) throw invalidRef(text, 'give the repository only, without a tag or digest');
  if (digest !== undefined && opts.allowDigest === false) throw invalidRef(text, 'a push names a tag, not a digest');
  const ref: RegistryRef = { registry, repository: rest };
  if (digest !== undefined) ref.digest = digest;
  else if (!opts.repositoryOnly) ref.tag = tag ?? DEFAULT_TAG;
  return ref;
}

/** The host without its port and brackets: "[::1]:5000" → "::1". */
export function hostName(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const colon = registry.lastIndexOf(':');
  return colon >= 0 ? registry.slice(0, colon) : registry;
}

/** Loopback hosts talk plain HTTP, as docker treats them: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = hostName(registry).toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/** Docker Hub's API lives at registry-1.docker.io; everything else at its own host. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
}

/** Base URL of the registry's API: http for loopback (or when forced), https otherwise. */
export function registryBaseUrl(registry: string, plainHttp = false): string {
  const scheme = plainHttp || isLoopbackRegistry(registry) ? 'http' : 'https';
  return `${scheme}://${apiHost(registry)}`;
}
