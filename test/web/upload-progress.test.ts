// In a browser the client uploads with XMLHttpRequest; jsdom has one, so these tests run the
// real client code over a real XMLHttpRequest against the real server, from a page at the
// server's own origin (as a browser opening the printed address is).
import { readFile, readdir, stat } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UploadProgress } from '../../electron/app/contract';
import { createWebClient } from '../../renderer/api/web-client';
import { SnapDeskError } from '../../src-core/errors';
import { webApp } from './helpers/web-app';

const FIXTURE = join(__dirname, '..', 'fixtures', 'good', 'cocoon-ch.tar.gz');
let app: Awaited<ReturnType<typeof webApp>>;
let page: JSDOM;

beforeEach(async () => {
  app = await webApp();
  page = new JSDOM('<!doctype html>', { url: `${app.server.origin}/` });
});
afterEach(async () => {
  page.window.close();
  await app.close();
});

/** A File of the page's own kind (its XMLHttpRequest sends only its own Blobs). */
async function pageFile(name: string, bytes?: Uint8Array<ArrayBuffer>): Promise<File> {
  return new page.window.File([bytes ?? new Uint8Array(await readFile(FIXTURE))], name);
}

/** The client as the page runs it; `null` signs in with nothing (no token from the address, no kept session). */
const browserClient = (token: string | null = app.server.token) =>
  createWebClient({ baseUrl: app.server.origin, token: token ?? undefined, XMLHttpRequest: page.window.XMLHttpRequest });

/** Waits until the server's upload directory is empty (it deletes a broken upload when it notices). */
async function uploadsGone(): Promise<void> {
  await expect.poll(() => readdir(app.server.uploadDir), { timeout: 10_000 }).toEqual([]);
}

describe('browser uploads with progress and abort', () => {
  it('reports each file’s progress from 0 to its size, in order, and registers them', async () => {
    const seen: UploadProgress[] = [];
    const refs = await browserClient().registerFiles([await pageFile('one.tgz'), await pageFile('two.tar.gz')], (p) => seen.push(p));
    expect(refs.map((r) => [r.name, r.size])).toEqual([
      ['one.tgz', 93360],
      ['two.tar.gz', 93360],
    ]);
    expect(await readdir(app.server.uploadDir)).toHaveLength(2);
    for (const [index, fileName] of ['one.tgz', 'two.tar.gz'].entries()) {
      const mine = seen.filter((p) => p.index === index);
      expect(mine.every((p) => p.fileName === fileName && p.bytesTotal === 93360)).toBe(true);
      expect(mine[0]?.bytesDone).toBe(0);
      expect(mine[mine.length - 1]?.bytesDone).toBe(93360);
      // Never backwards.
      expect(mine.map((p) => p.bytesDone)).toEqual([...mine.map((p) => p.bytesDone)].sort((a, b) => a - b));
    }
    // The first file is done before the second starts.
    expect(seen.findIndex((p) => p.index === 1)).toBeGreaterThan(seen.findLastIndex((p) => p.index === 0));
    expect(await browserClient().call('archives.preview', { archiveId: refs[1]?.id as string })).toMatchObject({ config: { name: 'web-golden' } });
  });

  it('aborting an upload in flight rejects with cancelled and the server keeps nothing', async () => {
    const abort = new AbortController();
    const err = await browserClient()
      .registerFiles([await pageFile('big.tgz', new Uint8Array(32 * 1024 * 1024))], () => abort.abort(), abort.signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapDeskError);
    expect(err).toMatchObject({ code: 'cancelled', message: 'the upload of big.tgz cancelled' });
    await uploadsGone();
  });

  it('aborting the second file of a batch releases the first, so none of the batch is kept', async () => {
    const abort = new AbortController();
    const err = await browserClient()
      .registerFiles(
        [await pageFile('first.tgz'), await pageFile('second.tgz')],
        (p) => {
          if (p.index === 1) abort.abort();
        },
        abort.signal,
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled', message: 'the upload of second.tgz cancelled' });
    await uploadsGone();
  });

  it('an already aborted signal sends nothing', async () => {
    const abort = new AbortController();
    abort.abort();
    const seen: UploadProgress[] = [];
    const err = await browserClient()
      .registerFiles([await pageFile('one.tgz')], (p) => seen.push(p), abort.signal)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([]);
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });

  it('a refused upload arrives as the server’s error, with its code', async () => {
    const err = await browserClient()
      .registerFiles([await pageFile('notes.txt', new TextEncoder().encode('hello'))])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapDeskError);
    expect((err as SnapDeskError).code).toBe('invalid_input');
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });

  it('an upload the server cannot take fails with an io error that says what may be wrong', async () => {
    // A port nobody listens on: the browser reports only a network error, as it does for a refusal mid-body.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const gone = new JSDOM('<!doctype html>', { url: `http://127.0.0.1:${port}/` });
    // Sign-in and the pre-check say yes (as they do when the refusal comes only once the body is arriving).
    const checkSaysYes = async (url: RequestInfo | URL): Promise<Response> =>
      Response.json({ ok: true, result: String(url).endsWith('/api/session') ? { secret: 'session' } : null });
    const client = createWebClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'printed', fetch: checkSaysYes, XMLHttpRequest: gone.window.XMLHttpRequest });
    const err = await client.registerFiles([new gone.window.File(['x'], 'one.tgz')]).catch((e: unknown) => e);
    gone.window.close();
    expect(err).toMatchObject({ code: 'io', message: expect.stringMatching(/^the upload of one\.tgz broke off: .*too little disk space.*could not be reached$/) });
  });

  it('an upload without the token is refused as not signed in', async () => {
    const err = await browserClient(null).registerFiles([await pageFile('one.tgz')]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not signed in/) });
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });
});

describe('the check before an upload', () => {
  const check = (body: unknown): Promise<unknown> =>
    fetch(`${app.server.origin}/api/archives/check`, { method: 'POST', headers: { ...app.auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());

  it('a file over the upload limit is refused in words before a byte of it is sent', async () => {
    await app.close();
    app = await webApp({ maxUploadBytes: 1000 });
    page.window.close();
    page = new JSDOM('<!doctype html>', { url: `${app.server.origin}/` });
    const seen: UploadProgress[] = [];
    const err = await browserClient()
      .registerFiles([await pageFile('small.tgz', new Uint8Array(10)), await pageFile('big.tgz', new Uint8Array(1001))], (p) => seen.push(p))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapDeskError);
    expect(err).toMatchObject({ code: 'invalid_input', message: 'big.tgz is larger than the 1000-byte upload limit' });
    // Not even the small file went: the whole batch is checked first.
    expect(seen).toEqual([]);
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });

  it('a batch that does not fit on the disk as a whole is refused as no_space, naming the need and the free space', async () => {
    await app.close();
    app = await webApp({ maxUploadBytes: Number.MAX_SAFE_INTEGER });
    const half = 2 ** 51;
    expect(await check({ files: [{ fileName: 'a.tgz', size: 1 }] })).toEqual({ ok: true, result: null });
    expect(await check({ files: [{ fileName: 'a.tgz', size: half }, { fileName: 'b.tgz', size: half }] })).toMatchObject({
      ok: false,
      error: { code: 'no_space', message: expect.stringMatching(/^not enough space in .* for 2 files \(4503599627370496 bytes needed, \d+ free\)$/) },
    });
  });

  it('a malformed check is refused as invalid input', async () => {
    for (const body of [{}, { files: [] }, { files: [{ fileName: 'a.tgz', size: -1 }] }, { files: [{ fileName: 'a.tgz', size: 1, path: '/etc' }] }]) {
      expect(await check(body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });
});

describe('uploads outside a browser (no XMLHttpRequest: fetch)', () => {
  it('report their start and end, and an abort in flight rejects with cancelled and keeps nothing', async () => {
    expect(typeof globalThis.XMLHttpRequest).toBe('undefined');
    const seen: number[] = [];
    const file = new File([await readFile(FIXTURE)], 'one.tgz');
    const [ref] = await app.client.registerFiles([file], (p) => seen.push(p.bytesDone));
    expect(ref).toMatchObject({ name: 'one.tgz', size: 93360 });
    expect(seen).toEqual([0, 93360]);
    await app.client.call('archives.release', { archiveId: ref?.id as string });

    const abort = new AbortController();
    const err = await app.client
      .registerFiles([new File([new Uint8Array(32 * 1024 * 1024)], 'big.tgz')], () => abort.abort(), abort.signal)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled', message: 'the upload of big.tgz cancelled' });
    await uploadsGone();
  });
});

describe('the server side of a broken upload', () => {
  it('a client that goes away mid-upload leaves no partial copy', async () => {
    const req = request({
      host: '127.0.0.1',
      port: app.server.port,
      method: 'POST',
      path: '/api/archives',
      headers: { ...app.auth, 'Content-Length': String(64 * 1024 * 1024), 'X-Snapdesk-File-Name': 'big.tgz' },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(1024 * 1024));
    // The partial copy is on disk while the body is arriving…
    const partial = async (): Promise<number> => {
      const [dir] = await readdir(app.server.uploadDir);
      return dir ? (await stat(join(app.server.uploadDir, dir, 'archive')).catch(() => null))?.size ?? 0 : 0;
    };
    await expect.poll(partial, { timeout: 10_000 }).toBeGreaterThan(0);
    // …and gone once the client vanishes (a browser's xhr.abort() closes the connection the same way).
    req.destroy();
    await uploadsGone();
  });
});
