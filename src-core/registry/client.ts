/**
 * An OCI distribution client for one registry: manifests, blobs, chunked
 * uploads with cross-repository mount, tags. Every call names the token
 * scopes it needs; authorization is negotiated by RegistryAuth.
 */
import { SnapDeskError } from '../errors';
import { RegistryAuth } from './auth';
import { repositoryScope } from './challenge';
import type { Credentials } from './docker-config';
import { describeUrl, discard, readBody, send, type HttpResponse } from './http';
import { MANIFEST_ACCEPT } from './media';
import { registryBaseUrl } from './reference';
import { registryError, statusError } from './registry-errors';

/** Distribution refuses manifests over 4 MiB; so do we, before parsing. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface ClientOptions {
  registry: string;
  credentials: Credentials | null;
  plainHttp?: boolean;
}

export interface FetchedManifest {
  bytes: Buffer;
  /** The Content-Type the registry sent. */
  contentType: string;
}

type Body = Buffer | (() => AsyncIterable<Buffer>);

interface ApiRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path under the base URL, or an absolute URL (upload locations). */
  url: string;
  headers?: Record<string, string>;
  body?: Body;
  scopes: string[];
  signal?: AbortSignal | undefined;
}

const pull = (repo: string): string[] => [repositoryScope(repo, 'pull')];
const push = (repo: string): string[] => [repositoryScope(repo, 'pull,push')];

export class RegistryClient {
  readonly registry: string;
  readonly base: string;
  private readonly auth: RegistryAuth;

  constructor(opts: ClientOptions) {
    this.registry = opts.registry;
    this.base = registryBaseUrl(opts.registry, opts.plainHttp);
    this.auth = new RegistryAuth(opts.registry, opts.credentials);
  }

  /** Sends with authorization; a 401 is answered once by following the registry's challenge. */
  async request(r: ApiRequest): Promise<HttpResponse> {
    const url = new URL(r.url, this.base).toString();
    for (let attempt = 0; ; attempt++) {
      const auth = await this.auth.header(r.scopes, r.signal);
      const headers = { ...(r.headers ?? {}), ...(auth ? { Authorization: auth } : {}) };
      const body = typeof r.body === 'function' ? r.body() : r.body;
      const res = await send({ method: r.method, url, headers, ...(body !== undefined ? { body } : {}), ...(r.signal ? { signal: r.signal } : {}) });
      if (res.status !== 401 || attempt > 0) return res;
      if (!(await this.auth.onUnauthorized(res, r.scopes, auth, r.signal))) return res;
      discard(res);
    }
  }

  /** GET /v2/: checks the registry speaks the API and accepts our credentials (login). */
  async ping(signal?: AbortSignal): Promise<void> {
    const res = await this.request({ method: 'GET', url: '/v2/', scopes: [], signal });
    if (res.status === 200) return discard(res);
    throw await statusError(res, 'GET', 'its API root /v2/', this.registry);
  }

  async getManifest(repo: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const res = await this.request({ method: 'GET', url: `/v2/${repo}/manifests/${reference}`, headers: { Accept: MANIFEST_ACCEPT }, scopes: pull(repo), signal });
    if (res.status === 404) {
      discard(res);
      throw new SnapDeskError('not_found', `${this.registry}/${repo} has no manifest "${reference}" (check the repository and tag with "snapdesk tags ${this.registry}/${repo}")`, {
        registry: this.registry,
        repository: repo,
        reference,
      });
    }
    if (res.status !== 200) throw await statusError(res, 'GET', `the manifest ${repo}:${reference}`, this.registry);
    const bytes = await readBody(res, MAX_MANIFEST_BYTES, 'manifest');
    return { bytes, contentType: String(res.headers['content-type'] ?? '') };
  }

  async blobExists(repo: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.request({ method: 'HEAD', url: `/v2/${repo}/blobs/${digest}`, scopes: push(repo), signal });
    discard(res);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await statusError(res, 'HEAD', `the blob ${digest}`, this.registry);
  }

  /** A blob's body as the registry streams it (the caller checks size and digest). */
  async getBlob(repo: string, digest: string, signal?: AbortSignal): Promise<HttpResponse> {
    const res = await this.request({ method: 'GET', url: `/v2/${repo}/blobs/${digest}`, scopes: pull(repo), signal });
    if (res.status === 200) return res;
    if (res.status === 404) {
      discard(res);
      throw registryError(`${this.registry}/${repo} lists the blob ${digest} in its manifest but does not have it`, { registry: this.registry, digest });
    }
    throw await statusError(res, 'GET', `the blob ${digest}`, this.registry);
  }

  /**
   * Opens an upload session. With `mount`, asks the registry to link a blob
   * it already holds in another repository instead: `mounted` when it did.
   */
  async startUpload(repo: string, signal?: AbortSignal, mount?: { digest: string; from: string }): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const query = mount ? `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}` : '';
    const scopes = mount ? [...push(repo), ...pull(mount.from)] : push(repo);
    const res = await this.request({ method: 'POST', url: `/v2/${repo}/blobs/uploads/${query}`, headers: { 'Content-Length': '0' }, body: Buffer.alloc(0), scopes, signal });
    discard(res);
    if (mount && res.status === 201) return { mounted: true };
    if (res.status !== 202) throw await statusError(res, 'POST', `a blob upload to ${repo}`, this.registry);
    return { mounted: false, location: this.location(res) };
  }

  /** Sends bytes [offset, offset+length) of a blob as one PATCH; returns the next upload location. */
  async patchChunk(repo: string, location: string, offset: number, length: number, body: () => AsyncIterable<Buffer>, signal?: AbortSignal): Promise<string> {
    const res = await this.request({
      method: 'PATCH',
      url: location,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(length), 'Content-Range': `${offset}-${offset + length - 1}` },
      body,
      scopes: push(repo),
      signal,
    });
    if (res.status !== 202) throw await statusError(res, 'PATCH', `a blob chunk at byte ${offset}`, this.registry);
    discard(res);
    // Registries confirm what they hold as "Range: 0-LAST"; one that kept less must not get a PUT claiming all of it.
    const range = /^(?:bytes=)?0-(\d+)$/.exec(String(res.headers.range ?? ''));
    if (range && Number(range[1]) !== offset + length - 1) {
      throw registryError(`${this.registry} kept ${Number(range[1]) + 1} bytes of an upload after ${offset + length} were sent`, { registry: this.registry });
    }
    return this.location(res);
  }

  /** Closes an upload, naming its digest; the registry checks it against what it received. */
  async finishUpload(repo: string, location: string, digest: string, body: Buffer = Buffer.alloc(0), signal?: AbortSignal): Promise<void> {
    const url = new URL(location, this.base);
    url.searchParams.set('digest', digest);
    const res = await this.request({
      method: 'PUT',
      url: url.toString(),
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) },
      body,
      scopes: push(repo),
      signal,
    });
    if (res.status !== 201) throw await statusError(res, 'PUT', `the end of the upload of ${digest}`, this.registry);
    discard(res);
  }

  async putManifest(repo: string, tag: string, bytes: Buffer, mediaType: string, signal?: AbortSignal): Promise<void> {
    const res = await this.request({
      method: 'PUT',
      url: `/v2/${repo}/manifests/${tag}`,
      headers: { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) },
      body: bytes,
      scopes: push(repo),
      signal,
    });
    if (res.status !== 201) throw await statusError(res, 'PUT', `the manifest ${repo}:${tag}`, this.registry);
    discard(res);
  }

  /** Every tag of a repository, following the registry's pagination (Link: <…>; rel="next"). */
  async listTags(repo: string, signal?: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    let next: string | null = `/v2/${repo}/tags/list?n=1000`;
    for (let page = 0; next && page < 1000; page++) {
      const res = await this.request({ method: 'GET', url: next, scopes: pull(repo), signal });
      if (res.status === 404) {
        discard(res);
        throw new SnapDeskError('not_found', `${this.registry} has no repository "${repo}"`, { registry: this.registry, repository: repo });
      }
      if (res.status !== 200) throw await statusError(res, 'GET', `the tags of ${repo}`, this.registry);
      let parsed: { tags?: unknown };
      try {
        parsed = JSON.parse((await readBody(res, 16 * 1024 * 1024, 'tag list')).toString('utf8')) as { tags?: unknown };
      } catch {
        throw registryError(`${this.registry} sent a tag list that is not JSON`, { registry: this.registry });
      }
      if (Array.isArray(parsed.tags)) for (const t of parsed.tags) if (typeof t === 'string') tags.push(t);
      const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(res.headers.link ?? ''));
      next = link?.[1] ?? null;
    }
    return tags;
  }

  private location(res: HttpResponse): string {
    const loc = res.headers.location;
    if (!loc) throw registryError(`${this.registry} opened an upload but sent no Location for it (${describeUrl(res.url)})`, { registry: this.registry });
    return new URL(loc, this.base).toString();
  }
}
