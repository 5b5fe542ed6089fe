import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyIndex, parseIndex, readIndex, serializeIndex, writeIndex } from '../../src-core/index-file';
import { jsonText } from '../../src-core/raw-json';
import { cocoonIndexText, FC, PEND, WEB } from './cocoon-store';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
});
const tmp = async (): Promise<string> => {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-index-'));
  dirs.push(d);
  return d;
};

describe('the snapshot index file', () => {
  it('an index written by cocoon is rewritten byte for byte: same field names, order, escaping and unknown fields', () => {
    const text = cocoonIndexText('/var/lib/cocoon');
    const index = parseIndex(text, 'snapshots.json');
    expect([...index.snapshots.keys()].sort()).toEqual([FC, PEND, WEB].sort());
    expect(index.snapshots.get(PEND)!.data.pending).toBe(true);
    expect(index.snapshots.get(WEB)!.data.description).toBe('golden <image> & more');
    expect(index.snapshots.get(WEB)!.extra.map(([k, v]) => [k, jsonText(v)])).toEqual([
      ['size_bytes', '12345'],
      ['last_accessed_at', '"2024-05-02T00:00:00Z"'],
    ]);
    expect(index.extra.map(([k, v]) => [k, jsonText(v)])).toEqual([['version_hint', '{"by":"cocoon"}']]);
    expect(serializeIndex(index)).toBe(text);
  });

  it('unknown fields nested 100,000 levels deep (in a record and at the top level) are written back unchanged, not a stack overflow', async () => {
    const deep = (n: number): string => `${'{"a":['.repeat(n)}1${']}'.repeat(n)}`;
    const text = `{"snapshots":{"${FC}":{"id":"${FC}","name":"fc","created_at":"2024-01-01T00:00:00Z","future":${deep(100_000)}}},"names":{"fc":"${FC}"},"later":${deep(100_000)}}\n`;
    const index = parseIndex(text, 'f');
    expect(serializeIndex(index)).toBe(text);
    const d = await tmp();
    const file = path.join(d, 'snapshots.json');
    index.names.set('renamed', FC);
    await writeIndex(file, index);
    const again = await readIndex(file);
    expect(again.names.get('renamed')).toBe(FC);
    expect(serializeIndex(again)).toBe(serializeIndex(index));
  });

  it('unknown fields are written back as JSON.stringify would write them (escaping, key order, numbers)', () => {
    const value = { z: [1, -2.5e-7, 'x<y>&\u2028', null, true, { '10': 'ten', '2': 'two', b: [] }], a: {} };
    const text = `{"snapshots":{},"names":{},"odd":${JSON.stringify(value)}}\n`;
    expect(serializeIndex(parseIndex(text, 'f'))).toBe(`{"snapshots":{},"names":{},"odd":${JSON.stringify(value).replace(/[<>&\u2028]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}\n`);
  });

  it('a missing index file is an empty store', async () => {
    const d = await tmp();
    const index = await readIndex(path.join(d, 'snapshot', 'db', 'snapshots.json'));
    expect(index.snapshots.size).toBe(0);
    expect(index.names.size).toBe(0);
  });

  it("Go's null maps and null records read as empty", () => {
    const index = parseIndex('{"snapshots":null,"names":null}', 'f');
    expect(index.snapshots.size).toBe(0);
    expect(serializeIndex(index)).toBe('{"snapshots":{},"names":{}}\n');
  });

  it('zero values are omitted on write, except name which is always present', () => {
    const index = emptyIndex();
    index.snapshots.set(FC, { data: { id: FC, name: '', cpu: 0, created_at: '2024-01-01T00:00:00Z', description: '' }, extra: [] });
    expect(serializeIndex(index)).toBe(`{"snapshots":{"${FC}":{"id":"${FC}","name":"","created_at":"2024-01-01T00:00:00Z"}},"names":{}}\n`);
  });

  it('an ID or name "__proto__" is an ordinary key', () => {
    const text = '{"snapshots":{"__proto__":{"id":"__proto__","name":"constructor","created_at":"2024-01-01T00:00:00Z"}},"names":{"constructor":"__proto__"}}\n';
    const index = parseIndex(text, 'f');
    expect(index.snapshots.has('__proto__')).toBe(true);
    expect(index.names.get('constructor')).toBe('__proto__');
    expect(serializeIndex(index)).toBe(text);
  });

  it.each([
    ['an integer field holding a string', '"cpu":"4"', 'field "cpu" must be an integer'],
    ['an integer field holding a fraction', '"memory":1.5', 'field "memory" must be an integer'],
    ['a string field holding a number', '"hypervisor":7', 'field "hypervisor" must be a string'],
    ['a bool field holding a string', '"pending":"yes"', 'field "pending" must be true or false'],
    ['a blob set holding an array', '"image_blob_ids":["aa"]', 'field "image_blob_ids" must be an object'],
    ['a time that is not RFC 3339', '"created_at":"yesterday"', 'field "created_at" must be an RFC 3339 time'],
  ])('a record with %s is refused with a clear error', (_what, field, message) => {
    const text = `{"snapshots":{"${FC}":{"id":"${FC}","name":"x",${field}}},"names":{}}`;
    expect(() => parseIndex(text, '/r/snapshots.json')).toThrow(message);
    try {
      parseIndex(text, '/r/snapshots.json');
    } catch (err) {
      expect((err as Error).message).toContain('/r/snapshots.json is damaged');
      expect((err as Error).message).toContain(FC);
    }
  });

  it('text that is not JSON, or not an object, is a damaged index', () => {
    expect(() => parseIndex('{"snapshots":', 'f')).toThrow('not valid JSON');
    expect(() => parseIndex('[]', 'f')).toThrow('not a JSON object');
    expect(() => parseIndex('{"names":{"a":1}}', 'f')).toThrow('name "a"');
  });

  it('an atomic write leaves exactly the new index and no temp file', async () => {
    const d = await tmp();
    const file = path.join(d, 'db', 'snapshots.json');
    const index = parseIndex(cocoonIndexText('/x'), 'f');
    await writeIndex(file, index);
    index.snapshots.delete(FC);
    await writeIndex(file, index);
    expect(await fs.readdir(path.dirname(file))).toEqual(['snapshots.json']);
    const back = await readIndex(file);
    expect([...back.snapshots.keys()].sort()).toEqual([PEND, WEB].sort());
    expect((await fs.stat(file)).mode & 0o777).toBe(0o644);
  });
});
