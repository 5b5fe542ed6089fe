// Draws build/icon.png (512×512): three stacked snapshot cards on a teal
// rounded square. Plain Node (zlib for PNG), so no image tools are needed;
// shapes are signed-distance fields, 4×4 supersampled for smooth edges.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SS = 4;

/** Signed distance to a rounded rectangle centred at (cx, cy). */
function roundRect(x, y, cx, cy, w, h, r) {
  const qx = Math.abs(x - cx) - w / 2 + r;
  const qy = Math.abs(y - cy) - h / 2 + r;
  return Math.min(Math.max(qx, qy), 0) + Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) - r;
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** Colour (RGBA 0..1) of one sample point; later shapes paint over earlier ones. */
function sample(x, y) {
  let c = [0, 0, 0, 0];
  const paint = (d, col) => {
    if (d <= 0) c = [...col.slice(0, 3), 1];
  };
  // Background: teal to deep blue, top-left to bottom-right.
  const t = (x + y) / (2 * SIZE);
  paint(roundRect(x, y, 256, 256, 472, 472, 96), mix([0.09, 0.62, 0.6], [0.1, 0.26, 0.55], t));
  // Three cards, back to front, each a little lower and lighter.
  const cards = [
    { cy: 196, w: 236, shade: [0.62, 0.8, 0.86] },
    { cy: 250, w: 272, shade: [0.8, 0.91, 0.94] },
    { cy: 322, w: 308, shade: [1, 1, 1] },
  ];
  for (const { cy, w, shade } of cards) {
    paint(roundRect(x, y, 256, cy + 8, w, 130, 24), [0.06, 0.2, 0.36]); // shadow edge
    paint(roundRect(x, y, 256, cy, w, 130, 24), shade);
  }
  // On the front card: a disk glyph (circle) and two text lines.
  paint(Math.hypot(x - 170, y - 322) - 30, [0.1, 0.45, 0.58]);
  paint(Math.hypot(x - 170, y - 322) - 10, [1, 1, 1]);
  paint(roundRect(x, y, 280, 304, 150, 18, 9), [0.1, 0.45, 0.58]);
  paint(roundRect(x, y, 260, 340, 110, 18, 9), [0.55, 0.7, 0.78]);
  return c;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const s = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        // Premultiplied accumulation keeps edges against transparency clean.
        acc[0] += s[0] * s[3];
        acc[1] += s[1] * s[3];
        acc[2] += s[2] * s[3];
        acc[3] += s[3];
      }
    }
    const a = acc[3] / (SS * SS);
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    raw[o] = a > 0 ? Math.round((acc[0] / acc[3]) * 255) : 0;
    raw[o + 1] = a > 0 ? Math.round((acc[1] / acc[3]) * 255) : 0;
    raw[o + 2] = a > 0 ? Math.round((acc[2] / acc[3]) * 255) : 0;
    raw[o + 3] = Math.round(a * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync('build', { recursive: true });
writeFileSync('build/icon.png', png);
console.log(`build/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
