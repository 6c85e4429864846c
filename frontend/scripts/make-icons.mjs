// Draws the app's icons (public/icons/*.png): a white check mark on the indigo of the app's
// buttons. Run `node scripts/make-icons.mjs` after changing the drawing; the PNGs are committed.
// No image library: the shapes are few, so each pixel's coverage is sampled 4×4 and the PNG
// is written with node:zlib.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');

/** Tailwind's indigo-600 (the primary button) and white. */
const INDIGO = [0x4f, 0x46, 0xe5];
const WHITE = [0xff, 0xff, 0xff];

/**
 * The check mark in a unit square: two strokes meeting at the bottom. `scale` shrinks it
 * about the centre (a maskable icon keeps its drawing inside the middle 80%).
 */
function checkMark(scale) {
  const points = [
    [0.27, 0.52],
    [0.43, 0.68],
    [0.74, 0.35],
  ].map(([x, y]) => [0.5 + (x - 0.5) * scale, 0.5 + (y - 0.5) * scale]);
  return { points, halfWidth: 0.055 * scale };
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/**
 * One icon, `size` pixels square. `cornerRadius` 0 fills the square (maskable and Apple
 * icons: the platform cuts the shape); otherwise the corners are transparent.
 */
function draw(size, { cornerRadius, markScale }) {
  const { points, halfWidth } = checkMark(markScale);
  const rgba = Buffer.alloc(size * size * 4);
  const SAMPLES = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let background = 0;
      let mark = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const u = (x + (sx + 0.5) / SAMPLES) / size;
          const v = (y + (sy + 0.5) / SAMPLES) / size;
          if (!insideRoundedSquare(u, v, cornerRadius)) continue;
          background++;
          const d = Math.min(distanceToSegment(u, v, points[0], points[1]), distanceToSegment(u, v, points[1], points[2]));
          if (d <= halfWidth) mark++;
        }
      }
      const i = (y * size + x) * 4;
      const share = background === 0 ? 0 : mark / background;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(INDIGO[c] * (1 - share) + WHITE[c] * share);
      rgba[i + 3] = Math.round((background / SAMPLES ** 2) * 255);
    }
  }
  return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** 8-bit RGBA, no filtering: small enough for flat shapes once deflated. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const ICONS = {
  'icon-192.png': [192, { cornerRadius: 0.2, markScale: 1 }],
  'icon-512.png': [512, { cornerRadius: 0.2, markScale: 1 }],
  // Full bleed; the mark inside the safe zone (a circle of 40% radius).
  'icon-maskable-512.png': [512, { cornerRadius: 0, markScale: 0.75 }],
  'apple-touch-icon.png': [180, { cornerRadius: 0, markScale: 0.9 }],
};

mkdirSync(out, { recursive: true });
for (const [name, [size, options]] of Object.entries(ICONS)) {
  writeFileSync(join(out, name), draw(size, options));
  console.log(`public/icons/${name}`);
}
