import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const newToken = (): string => randomBytes(24).toString('hex');

/** Cookies are shared across ports of one host, so the name carries the port. */
export const cookieName = (port: number): string => `snapdesk_token_${port}`;

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The session cookie set after the first page load proved the token. */
export const sessionCookie = (port: number, token: string): string => `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;

/** The request carries the token as our cookie or as `Authorization: Bearer`. */
export function isAuthorized(req: IncomingMessage, port: number, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokensEqual(auth.slice('Bearer '.length).trim(), token)) return true;
  const cookie = cookieValue(req.headers.cookie, cookieName(port));
  return cookie !== null && tokensEqual(cookie, token);
}

/** Host names a browser on this machine uses for us; anything else is a DNS-rebinding attempt. */
export function allowedHosts(host: string, port: number): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  if (host === '::1') hosts.add(`[::1]:${port}`);
  else if (host !== '0.0.0.0' && host !== '::') hosts.add(`${host}:${port}`);
  return hosts;
}

export type Refusal = { status: 403; reason: string } | null;

/**
 * Refuses a request whose Host is not ours (DNS rebinding), or that another
 * site's page sent (an Origin other than ours, or a cross-site fetch).
 */
export function checkRequestOrigin(req: IncomingMessage, hosts: Set<string>): Refusal {
  const host = req.headers.host ?? '';
  if (!hosts.has(host.toLowerCase())) return { status: 403, reason: 'unknown Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, hosts)) return { status: 403, reason: 'cross-origin request' };
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, reason: 'cross-site request' };
  return null;
}

function isOwnOrigin(origin: string, hosts: Set<string>): boolean {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && u.origin === origin && hosts.has(u.host);
  } catch {
    return false;
  }
}
