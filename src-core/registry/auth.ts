/**
 * Authorization for one registry, as registries negotiate it: try the
 * request, and on 401 follow the WWW-Authenticate challenge. Basic sends the
 * stored user and password; Bearer fetches a token from the challenge's
 * realm for the request's scopes (with the stored credentials, an identity
 * token, or anonymously) and caches it until shortly before it expires. A
 * static registry token is sent as `Bearer` on every request, as epoch's
 * client does.
 */
import { parseChallenge, type Challenge } from './challenge';
import type { Credentials } from './docker-config';
import { readBody, send, type HttpResponse } from './http';
import { registryError, unauthorized } from './registry-errors';

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Tokens are renewed this long before they expire, so a long upload never meets an expired one mid-request. */
const RENEW_MARGIN_MS = 30_000;
/** Distribution's token spec: a token without expires_in lasts 60 seconds. */
const DEFAULT_TOKEN_SECONDS = 60;

export class RegistryAuth {
  private scheme: 'none' | 'basic' | 'bearer' = 'none';
  private bearer: { realm: string; service?: string } | null = null;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    readonly registry: string,
    private readonly credentials: Credentials | null,
    private readonly now: () => number = Date.now,
  ) {}

  private basicHeader(): string | null {
    const c = this.credentials;
    if (c?.username === undefined) return null;
    return `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`, 'utf8').toString('base64')}`;
  }

  /** The Authorization header for a request needing `scopes`, fetching a token when one is due. */
  async header(scopes: string[], signal?: AbortSignal): Promise<string | null> {
    if (this.credentials?.registryToken) return `Bearer ${this.credentials.registryToken}`;
    if (this.scheme === 'basic') return this.basicHeader();
    if (this.scheme === 'bearer') return `Bearer ${await this.token(scopes, signal)}`;
    return null;
  }

  /**
   * Learns from a 401 to a request that carried `sent` (its Authorization,
   * or null). Returns true when a retry would carry something new, false
   * when the registry refused exactly what we have (wrong credentials, or
   * an account without access). Requests running in parallel may all meet
   * the first 401: those learn from the first without asking again.
   */
  async onUnauthorized(res: HttpResponse, scopes: string[], sent: string | null, signal?: AbortSignal): Promise<boolean> {
    if (this.credentials?.registryToken) return false;
    const challenge = parseChallenge(firstHeader(res.headers['www-authenticate']));
    if (!challenge) return false;
    if (challenge.scheme === 'basic') {
      const basic = this.basicHeader();
      if (basic === null || sent === basic) return false;
      this.scheme = 'basic';
      return true;
    }
    if (challenge.scheme === 'bearer') {
      const realm = challenge.params.realm;
      if (!realm) throw registryError(`${this.registry} asked for a bearer token but named no realm to get it from`, { registry: this.registry });
      const key = scopeKey(scopes);
      const had = this.tokens.get(key);
      if (had && had.expiresAt > this.now()) {
        // Refused the token we hold: no use asking for the same again. Another request's fresh token: use it.
        if (sent === `Bearer ${had.token}`) return false;
        this.scheme = 'bearer';
        return true;
      }
      this.scheme = 'bearer';
      this.bearer = { realm, ...(challenge.params.service !== undefined ? { service: challenge.params.service } : {}) };
      // Cached under the request's scopes, so the retry's header() finds it.
      this.tokens.set(key, await this.fetchToken(withChallengeScope(scopes, challenge), signal));
      return true;
    }
    return false;
  }

  private async token(scopes: string[], signal?: AbortSignal): Promise<string> {
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - RENEW_MARGIN_MS > this.now()) return cached.token;
    const fresh = await this.fetchToken(scopes, signal);
    this.tokens.set(key, fresh);
    return fresh.token;
  }

  private async fetchToken(scopes: string[], signal?: AbortSignal): Promise<CachedToken> {
    const bearer = this.bearer;
    if (!bearer) throw registryError(`no token realm is known for ${this.registry}`, { registry: this.registry });
    const url = new URL(bearer.realm);
    let res: HttpResponse;
    const refresh = this.credentials?.identityToken;
    if (refresh) {
      // OAuth2 refresh-token grant, as docker uses a stored identity token.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'snapdesk' });
      if (bearer.service) form.set('service', bearer.service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      res = await send({ method: 'POST', url: url.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form.toString()), ...(signal ? { signal } : {}) });
    } else {
      if (bearer.service) url.searchParams.set('service', bearer.service);
      for (const s of scopes) url.searchParams.append('scope', s);
      const basic = this.basicHeader();
      if (basic && this.credentials?.username) url.searchParams.set('account', this.credentials.username);
      res = await send({ method: 'GET', url: url.toString(), headers: basic ? { Authorization: basic } : {}, ...(signal ? { signal } : {}) });
    }
    if (res.status === 401 || res.status === 403) {
      res.body.resume();
      throw unauthorized(
        this.credentials ? `${this.registry}'s token service refused the stored credentials; sign in again with "snapdesk login ${this.registry}"` : `${this.registry} needs you to sign in: run "snapdesk login ${this.registry}"`,
        this.registry,
      );
    }
    if (res.status !== 200) {
      res.body.resume();
      throw registryError(`${this.registry}'s token service answered ${res.status}`, { registry: this.registry, status: res.status });
    }
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse((await readBody(res, 1024 * 1024, 'token response')).toString('utf8')) as typeof parsed;
    } catch {
      throw registryError(`${this.registry}'s token service sent something that is not a JSON token response`, { registry: this.registry });
    }
    const token = typeof parsed.token === 'string' && parsed.token !== '' ? parsed.token : parsed.access_token;
    if (typeof token !== 'string' || token === '') throw registryError(`${this.registry}'s token service sent no token`, { registry: this.registry });
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_SECONDS;
    return { token, expiresAt: this.now() + seconds * 1000 };
  }
}

const firstHeader = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const scopeKey = (scopes: string[]): string => [...new Set(scopes)].sort().join(' ');

/** The request's own scopes plus any the registry named in its challenge. */
function withChallengeScope(scopes: string[], challenge: Challenge): string[] {
  const named = challenge.params.scope ? challenge.params.scope.split(' ').filter((s) => s !== '') : [];
  return [...new Set([...scopes, ...named])];
}
