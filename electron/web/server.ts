import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { SnapshotBackend } from '../../src-core/backend';
import { defaultRoot, ROOT_ENV } from '../../src-core/default-root';
import { SnapDeskError } from '../../src-core/errors';
import { storePaths } from '../../src-core/paths';
import { createAppContext, type AppContext } from '../app/app-context';
import { SECURITY_HEADERS } from '../../src-core/rules';
import { matchRoute } from '../app/http-routes';
import { SettingsStore } from '../app/settings';
import { resolveStaticFile } from '../app/static-files';
import { allowedHosts, checkRequestOrigin, newToken, WebSessions } from './auth';
import { EventStreams } from './event-streams';
import { WebHost } from './host';
import { HttpError, send, sendError } from './http';
import { createRouter } from './routes';
import { UploadBudget, type UploadLimits } from './upload-budget';

export interface WebServerOptions {
  /** The cocoon root; otherwise $SNAPDESK_ROOT, then the default. */
  root?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Fixed token (tests); otherwise a random one. */
  token?: string;
  /** The built renderer (out/renderer). */
  rendererDir?: string;
  version?: string;
  /** Largest accepted upload in bytes. */
  maxUploadBytes?: number;
  /** Uploads receiving at once. */
  maxConcurrentUploads?: number;
  /** Free space kept back beyond what uploads in flight declared. */
  uploadMarginBytes?: number;
  /** Bytes free in the uploads' file system (default: statfs; tests pin it). */
  freeSpace?: (dir: string) => Promise<number>;
  env?: NodeJS.ProcessEnv;
  openStore?: (root: string) => SnapshotBackend | Promise<SnapshotBackend>;
  /** How long an export waits for the browser to start its download. */
  exportAttachTimeoutMs?: number;
  /** How long a ticket (event stream, download) stays redeemable. */
  ticketTtlMs?: number;
  /** Open connections at once; more are dropped as they arrive. */
  maxConnections?: number;
  /** Time a connection has to send a request's headers. */
  headersTimeoutMs?: number;
  /** Quiet time after which a connection that has not signed in is closed. */
  idleTimeoutMs?: number;
  /** Time a request that has not signed in has to finish, however busy (a body sent a byte at a time); default 30 s. */
  unsignedRequestMs?: number;
  /** Quiet time after which an upload in progress is dropped (its slot, reserved space and partial file with it); default 60 s. */
  uploadQuietMs?: number;
  /** How often the server looks for connections past their header time. */
  connectionsCheckingIntervalMs?: number;
}

export interface WebServer {
  /** Open this in a browser: the token rides in the fragment, which no request carries. */
  url: string;
  /** Base URL without the token. */
  origin: string;
  /** The printed token: it only opens sessions (`session.open`). */
  token: string;
  port: number;
  context: AppContext<WebHost>;
  /** Where uploads are kept until imported or released: under the store root, so on its file system (removed on close). */
  uploadDir: string;
  close(): Promise<void>;
}

/**
 * Uploads live in `<root>/snapshot/.snapdesk-uploads/`, one folder per
 * server: on the store's file system, so their space is counted where imports
 * write, and out of `<root>/snapshot/localfile/`, whose unknown subfolders
 * cocoon's snapshot GC removes as orphans (snapshot/localfile/gc.go).
 */
export const uploadsParent = (root: string): string => join(storePaths(root).root, 'snapshot', '.snapdesk-uploads');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the upload folders of servers that died without closing (their process is gone). */
export async function removeOrphanUploads(parent: string): Promise<void> {
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = /^server-(\d+)-/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) await rm(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * The web shell: the built renderer, and the shared handlers and the typed
 * routes of http-routes.ts over HTTP. Listens on loopback; API requests need
 * a session secret (or a ticket) traded for the printed token; connections
 * that never sign in are bounded in number and time.
 */
export async function startWebServer(opts: WebServerOptions = {}): Promise<WebServer> {
  const env = opts.env ?? process.env;
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const rendererDir = resolve(opts.rendererDir ?? join(__dirname, '..', '..', 'renderer'));
  const settings = await SettingsStore.load(null, { cli: opts.root, env: env[ROOT_ENV], defaultRoot: defaultRoot({ env }) });
  const parent = uploadsParent(settings.get().root);
  // Folders the store would create itself get the store's mode (src-core/lock.ts); only ours is private.
  await mkdir(dirname(parent), { recursive: true, mode: 0o755 });
  await mkdir(parent, { recursive: true, mode: 0o700 });
  await removeOrphanUploads(parent);
  const uploadDir = await mkdtemp(join(parent, `server-${process.pid}-`));
  const limits: UploadLimits = {
    maxBytes: opts.maxUploadBytes ?? 1024 ** 4,
    maxConcurrent: opts.maxConcurrentUploads ?? 4,
    marginBytes: opts.uploadMarginBytes ?? 64 * 1024 ** 2,
  };
  const removeUploads = async (): Promise<void> => {
    await rm(uploadDir, { recursive: true, force: true });
    // The parent goes too when no other server uses it.
    await rmdir(parent).catch(() => undefined);
  };
  const context = await createAppContext({
    info: { version: opts.version ?? '0.0.0', platform: process.platform, transport: 'web' },
    settings,
    // Loaded on first use so tests of the transport alone can supply their own store.
    openStore: opts.openStore ?? (async (root) => (await import('../../src-core/localfile')).openStore({ root })),
    makeHost: (deps) => new WebHost({ ...deps, exportAttachTimeoutMs: opts.exportAttachTimeoutMs }),
  });
  const sessions = new WebSessions(token, { ticketTtlMs: opts.ticketTtlMs });
  const events = new EventStreams(context.bus);
  const budget = new UploadBudget(uploadDir, limits, opts.freeSpace);
  // Requests not signed in yet, with the timer that closes their connection at their deadline.
  const unsigned = new WeakMap<IncomingMessage, NodeJS.Timeout>();
  // A connection that proved who sent it may stay quiet as long as its transfer needs (a download waiting for its export).
  const signedIn = (req: IncomingMessage): void => {
    clearTimeout(unsigned.get(req));
    req.socket.setTimeout(0);
  };
  const router = createRouter({ context, sessions, budget, uploadDir, events, uploadQuietMs: opts.uploadQuietMs ?? 60_000 }, signedIn);
  const unsignedMs = opts.unsignedRequestMs ?? 30_000;
  let hosts = new Set<string>();

  const page = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    // The page itself is public code; what it can do needs the token, which it reads from its fragment.
    const file = await resolveStaticFile(rendererDir, url.pathname);
    // Browsers ask for a favicon on their own; no icon is not an error worth a console line.
    if (!file && url.pathname === '/favicon.ico') return send(res, 204, '');
    if (!file) return send(res, 404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8' });
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': String(file.size), 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  };

  const idleMs = opts.idleTimeoutMs ?? 30_000;
  const server = createServer({ connectionsCheckingInterval: opts.connectionsCheckingIntervalMs ?? 5_000 }, (req, res) => {
    const refusal = checkRequestOrigin(req, hosts);
    if (refusal) return send(res, refusal.status, `forbidden: ${refusal.reason}`, { 'Content-Type': 'text/plain; charset=utf-8' });
    // Every request starts unsigned (keep-alive clears the socket's timeout between requests): quiet for idleMs, it is closed;
    // and one that is never quiet but never done either (a body a byte at a time) is closed at its deadline.
    req.socket.setTimeout(idleMs);
    const deadline = setTimeout(() => req.socket.destroy(), unsignedMs).unref();
    unsigned.set(req, deadline);
    res.once('close', () => clearTimeout(deadline));
    const url = new URL(req.url ?? '/', 'http://localhost');
    let handle: Promise<void>;
    if (url.pathname.startsWith('/api/')) {
      const match = matchRoute(req.method ?? '', url.pathname);
      handle = match
        ? router(match.route, match.params, req, res, url)
        : Promise.reject(new HttpError(404, new SnapDeskError('invalid_input', `no such endpoint: ${req.method ?? ''} ${url.pathname}`)));
    } else handle = page(req, res, url);
    handle.catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, err instanceof HttpError ? err.status : 500, err instanceof HttpError ? err.data : err);
    });
  });

  // An upload or download of a snapshot may take far longer than Node's default 5-minute request limit;
  // the header and idle limits below bound what a connection that never signs in can hold.
  server.requestTimeout = 0;
  server.headersTimeout = opts.headersTimeoutMs ?? 10_000;
  server.maxConnections = opts.maxConnections ?? 64;
  server.on('connection', (socket: Socket) => socket.setTimeout(idleMs));

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (err) {
    // Port taken or not allowed: leave nothing behind.
    await context.close();
    await removeUploads();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shownHost}:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    context,
    uploadDir,
    async close() {
      events.closeAll();
      const closed = new Promise<void>((done) => server.close(() => done()));
      try {
        await context.close();
      } finally {
        server.closeAllConnections();
        await closed;
        await removeUploads();
      }
    },
  };
}
