import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const newToken = (): string => randomBytes(24).toString('hex');

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What a ticket lets its holder open, once. */
export type TicketPurpose = { purpose: 'events' } | { purpose: 'download'; taskId: string };

const purposeKey = (p: TicketPurpose): string => (p.purpose === 'download' ? `download:${p.taskId}` : p.purpose);

export interface SessionOptions {
  /** How long a ticket stays redeemable. */
  ticketTtlMs?: number;
  /** Sessions kept at once (each sign-in of a tab opens one); the oldest is dropped beyond. */
  maxSessions?: number;
  now?: () => number;
}

/**
 * Who may use the API. The printed token only opens sessions: a page trades
 * it (from its address's fragment, which no request carries) for a session
 * secret it keeps in memory and sends as `Authorization: Bearer`. Nothing is
 * ever stored in a cookie, since cookies are shared by every port of a host
 * and would reach any other local server the browser visits. What a browser
 * opens without headers (the event stream, a download) carries a ticket:
 * single-use, short-lived, good for one purpose.
 */
export class WebSessions {
  private readonly sessions = new Set<string>();
  private readonly tickets = new Map<string, { key: string; expires: number }>();
  private readonly ticketTtlMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(
    private readonly token: string,
    opts: SessionOptions = {},
  ) {
    this.ticketTtlMs = opts.ticketTtlMs ?? 30_000;
    this.maxSessions = opts.maxSessions ?? 64;
    this.now = opts.now ?? Date.now;
  }

  /** A new session secret for the printed token, or null for any other. */
  open(token: string): string | null {
    if (!tokensEqual(token, this.token)) return null;
    const secret = newToken();
    this.sessions.add(secret);
    // Sets iterate in insertion order: the first one is the oldest.
    if (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.values().next().value as string);
    return secret;
  }

  /** Whether `Authorization: Bearer <secret>` names an open session. */
  isSignedIn(authorization: string | undefined): boolean {
    if (!authorization?.startsWith('Bearer ')) return false;
    const given = authorization.slice('Bearer '.length).trim();
    for (const secret of this.sessions) if (tokensEqual(given, secret)) return true;
    return false;
  }

  issueTicket(purpose: TicketPurpose): string {
    const t = this.now();
    for (const [ticket, entry] of this.tickets) if (entry.expires <= t) this.tickets.delete(ticket);
    const ticket = newToken();
    this.tickets.set(ticket, { key: purposeKey(purpose), expires: t + this.ticketTtlMs });
    return ticket;
  }

  /** Spends `ticket` if it is unexpired and for `purpose`; a ticket for something else is spent too. */
  redeemTicket(ticket: string, purpose: TicketPurpose): boolean {
    const entry = this.tickets.get(ticket);
    if (!entry) return false;
    this.tickets.delete(ticket);
    return entry.expires > this.now() && entry.key === purposeKey(purpose);
  }
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
