import { describe, expect, it } from 'vitest';
import { WebSessions } from '../../electron/web/auth';

describe('web sessions and tickets', () => {
  it('the printed token opens sessions but is never one; a wrong token opens none', () => {
    const sessions = new WebSessions('printed-token');
    expect(sessions.open('printed-tokem')).toBeNull();
    const secret = sessions.open('printed-token') as string;
    expect(secret).not.toBe('printed-token');
    expect(sessions.isSignedIn(`Bearer ${secret}`)).toBe(true);
    expect(sessions.isSignedIn('Bearer printed-token')).toBe(false);
    expect(sessions.isSignedIn(secret)).toBe(false);
    expect(sessions.isSignedIn(undefined)).toBe(false);
  });

  it('keeps at most maxSessions, dropping the oldest', () => {
    const sessions = new WebSessions('t', { maxSessions: 2 });
    const [a, b, c] = [sessions.open('t'), sessions.open('t'), sessions.open('t')];
    expect([a, b, c].map((s) => sessions.isSignedIn(`Bearer ${s}`))).toEqual([false, true, true]);
  });

  it('a ticket opens one thing once, before it expires; one shown for something else is spent', () => {
    let now = 1_000;
    const sessions = new WebSessions('t', { ticketTtlMs: 100, now: () => now });
    const events = sessions.issueTicket({ purpose: 'events' });
    expect(sessions.redeemTicket(events, { purpose: 'events' })).toBe(true);
    expect(sessions.redeemTicket(events, { purpose: 'events' })).toBe(false);
    const download = sessions.issueTicket({ purpose: 'download', taskId: 'a' });
    expect(sessions.redeemTicket(download, { purpose: 'download', taskId: 'b' })).toBe(false);
    expect(sessions.redeemTicket(download, { purpose: 'download', taskId: 'a' })).toBe(false);
    const late = sessions.issueTicket({ purpose: 'events' });
    now += 100;
    expect(sessions.redeemTicket(late, { purpose: 'events' })).toBe(false);
    expect(sessions.redeemTicket('never-issued', { purpose: 'events' })).toBe(false);
  });
});
