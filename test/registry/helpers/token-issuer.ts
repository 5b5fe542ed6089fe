/**
 * A token server for distribution's token auth mode, on 127.0.0.1: checks
 * Basic credentials, grants the requested repository actions, and signs an
 * ES256 JWT with a key generated for the test, its self-signed certificate
 * in the x5c header (the registry's rootcertbundle holds the same cert).
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export interface TokenIssuer {
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
  /** Every request's query, for assertions. */
  requests: { query: URLSearchParams; authorized: string | null }[];
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export async function startTokenIssuer(users: Record<string, string>, opts: { anonymousPull?: boolean; expiresIn?: number } = {}): Promise<TokenIssuer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-issuer-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=snapdesk-test-issuer'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  const key = createPrivateKey(await fs.readFile(keyFile));
  const certPem = await fs.readFile(certFile, 'utf8');
  const certDer = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const service = 'snapdesk-test-registry';
  const issuer = 'snapdesk-test-issuer';
  const requests: TokenIssuer['requests'] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const header = req.headers.authorization ?? null;
    let user: string | null = null;
    if (header?.startsWith('Basic ')) {
      const [u, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (u === undefined || users[u] !== rest.join(':')) {
        requests.push({ query: url.searchParams, authorized: null });
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
      user = u;
    }
    requests.push({ query: url.searchParams, authorized: user });
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || !name || !actions) return [];
      const wanted = actions.split(',');
      const granted = user ? wanted : opts.anonymousPull ? wanted.filter((a) => a === 'pull') : [];
      return granted.length > 0 ? [{ type, name, actions: granted }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = opts.expiresIn ?? 300;
    const claims = { iss: issuer, sub: user ?? '', aud: service, exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const head = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
    const signingInput = `${b64url(JSON.stringify(head))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${signingInput}.${b64url(signature)}`;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
