// Where the kernel's PNG decode spends its time, phase by phase (CPU time, median of rounds),
// and what the image data holds: deflate blocks, literals and matches by length and distance
// (counted by a small JS inflater here, which shares no code with the kernel), filter types.
// The phases are timed through the kernel's exports one at a time, so they add up only roughly
// to the whole (each call pays its own entry and cache warm-up).
//
// jimp (Jimp.fromBuffer, pngjs inside: Node's native zlib, a JS unfilter) is timed too, for the
// floor: jimp's time over zlibInflate's alone is the most the decode could reach against jimp if
// everything but inflate were free.
//
// Run: npx tsx bench/decode-png-profile.ts
// Env: ROUNDS (default 7), BENCH_MS (time per measurement, default 100).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { inflateSync } from "node:zlib";
import { Jimp } from "jimp";
import { ready } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { cpuMs, median } from "./timing.js";
import { DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA } from "../tests/helpers/deflate-bits.ts";
import { kernelPngDecode } from "./png-kernel.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const MS = Number(process.env.BENCH_MS ?? 100);
const FILES = ["samples/astronaut.png", "samples/chelsea.png", "samples/coffee.png", "tests/codec/png/photo-coffee-rgba.png"];
const root = new URL("../", import.meta.url);

await ready();
const { exports: k, arena } = kernel();

const cpu = (fn: () => void): number => cpuMs(fn, MS);

interface Chunk {
  type: string;
  at: number;
  len: number;
}
function chunks(b: Uint8Array): Chunk[] {
  const out: Chunk[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let off = 8; off + 8 <= b.length; ) {
    const len = dv.getUint32(off);
    out.push({ type: String.fromCharCode(...b.subarray(off + 4, off + 8)), at: off, len });
    off += 12 + len;
  }
  return out;
}

/** Token statistics of a zlib stream (a plain RFC 1951 decoder, counting only). */
function tokenStats(z: Uint8Array) {
  let pos = 2 * 8; // bit position, after the zlib header
  const bit = () => (z[pos >> 3]! >> (pos++ & 7)) & 1;
  const bits = (n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++) v |= bit() << i;
    return v;
  };
  // canonical decode: map from (len, code) to symbol
  const mk = (lens: number[]) => {
    const m = new Map<number, number>();
    const count = new Array(16).fill(0);
    for (const l of lens) if (l) count[l]++;
    const next = new Array(16).fill(0);
    let code = 0;
    for (let l = 1; l < 16; l++) {
      code = (code + count[l - 1]) << 1;
      next[l] = code;
    }
    next[1] = 0;
    code = 0;
    for (let l = 1; l < 16; l++) {
      next[l] = code;
      code = (code + count[l]) << 1;
    }
    lens.forEach((l, s) => {
      if (l) m.set((l << 16) | next[l]++, s);
    });
    return m;
  };
  const sym = (m: Map<number, number>) => {
    let code = 0;
    for (let l = 1; l < 16; l++) {
      code = (code << 1) | bit();
      const s = m.get((l << 16) | code);
      if (s !== undefined) return { s, l };
    }
    throw new Error("bad code");
  };
  const st = {
    blocks: 0,
    dynamic: 0,
    literals: 0,
    matches: 0,
    matchBytes: 0,
    litBits: 0,
    len: new Map<string, number>(),
    dist: new Map<string, number>(),
  };
  const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  let last = 0;
  while (!last) {
    last = bit();
    const type = bits(2);
    st.blocks++;
    if (type === 0) {
      pos = (pos + 7) & ~7;
      const n = z[pos >> 3]! | (z[(pos >> 3) + 1]! << 8);
      pos += 32 + n * 8;
      st.literals += n;
      continue;
    }
    let lit: Map<number, number>, dist: Map<number, number>;
    if (type === 1) {
      lit = mk(Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)));
      dist = mk(new Array(30).fill(5));
    } else {
      st.dynamic++;
      const hlit = bits(5) + 257;
      const hdist = bits(5) + 1;
      const hclen = bits(4) + 4;
      const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
      const cl = new Array(19).fill(0);
      for (let i = 0; i < hclen; i++) cl[order[i]!] = bits(3);
      const clm = mk(cl);
      const lens: number[] = [];
      while (lens.length < hlit + hdist) {
        const { s } = sym(clm);
        if (s < 16) lens.push(s);
        else if (s === 16) {
          const v = lens[lens.length - 1]!;
          for (let r = 3 + bits(2); r > 0; r--) lens.push(v);
        } else for (let r = s === 17 ? 3 + bits(3) : 11 + bits(7); r > 0; r--) lens.push(0);
      }
      lit = mk(lens.slice(0, hlit));
      dist = mk(lens.slice(hlit));
    }
    for (;;) {
      const { s, l } = sym(lit);
      if (s < 256) {
        st.literals++;
        st.litBits += l;
        continue;
      }
      if (s === 256) break;
      const length = LEN_BASE[s - 257]! + bits(LEN_EXTRA[s - 257]!);
      const d = sym(dist).s;
      const distance = DIST_BASE[d]! + bits(DIST_EXTRA[d]!);
      st.matches++;
      st.matchBytes += length;
      bump(st.len, length < 8 ? "3-7" : length < 16 ? "8-15" : length < 32 ? "16-31" : length < 258 ? "32-257" : "258");
      bump(st.dist, distance < 16 ? "1-15" : distance < 256 ? "16-255" : distance < 4096 ? "256-4095" : "4096+");
    }
  }
  return st;
}

const jimpMs = async (buf: Buffer): Promise<number> => {
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < MS) {
    await Jimp.fromBuffer(buf);
    n++;
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
};
console.log(`# PNG decode profile (kernel phases, CPU ms, median of ${ROUNDS} rounds), load ${loadavg()[0]!.toFixed(1)}\n`);
for (const f of FILES) {
  const bytes = new Uint8Array(readFileSync(new URL(f, root)));
  const cs = chunks(bytes);
  const idats = cs.filter((c) => c.type === "IDAT");
  const z = Buffer.concat(idats.map((c) => bytes.subarray(c.at + 8, c.at + 8 + c.len)));
  const raw = inflateSync(z);
  const px = kernelPngDecode({ k, arena }, bytes);
  const w = (bytes[16]! << 24) | (bytes[17]! << 16) | (bytes[18]! << 8) | bytes[19]!;
  const h = raw.length / (px.length / ((bytes[20]! << 24) | (bytes[21]! << 16) | (bytes[22]! << 8) | bytes[23]!) + 1);
  const rb = raw.length / h;
  const filters = [0, 0, 0, 0, 0];
  for (let y = 0; y < h; y++) filters[raw[y * rb]!]!++;
  const reused = new Uint8Array(px.length);

  const t: Record<string, number[]> = {};
  const add = (name: string, v: number) => (t[name] ??= []).push(v);
  for (let r = 0; r < ROUNDS; r++) {
    add("jimp (Jimp.fromBuffer)", await jimpMs(Buffer.from(bytes)));
    add(
      "decode, fresh array (as decode())",
      cpu(() => kernelPngDecode({ k, arena }, bytes)),
    );
    add(
      "decode, reused array",
      cpu(() => kernelPngDecode({ k, arena }, bytes, () => reused)),
    );
    // The same without any copy out.
    add(
      "put + pngInfo + pngDecode",
      cpu(() => {
        arena.reset();
        const src = arena.put(bytes);
        const info = arena.alloc(128);
        k.pngInfo(src, bytes.length, info);
        const iv = new Int32Array(arena.u8().buffer, info, 32);
        const dst = arena.alloc(iv[1]! * iv[2]! * iv[4]!);
        const aux = arena.alloc(1024);
        const scratch = arena.alloc(iv[5]!);
        if (k.pngDecode(src, bytes.length, info, dst, aux, scratch) !== 0) throw new Error("pngDecode");
      }),
    );
    add(
      "put + pngInfo",
      cpu(() => {
        arena.reset();
        const src = arena.put(bytes);
        const info = arena.alloc(128);
        k.pngInfo(src, bytes.length, info);
      }),
    );
    add(
      "zlibInflate (incl. Adler-32)",
      cpu(() => {
        arena.reset();
        const src = arena.put(z);
        const out = arena.alloc(raw.length + 16);
        const info = arena.alloc(128);
        if (k.zlibInflate(src, z.length, out, raw.length, info) !== 0) throw new Error("zlibInflate");
      }),
    );
    {
      arena.reset();
      const at = arena.put(raw);
      add(
        "adler32 over the raw data",
        cpu(() => k.adler32(at, raw.length)),
      );
      const src = arena.put(bytes);
      add(
        "crc32 over the IDAT chunks",
        cpu(() => {
          for (const c of idats) k.crc32(0, src + c.at + 4, c.len + 4);
        }),
      );
      add(
        "node:zlib inflateSync (native)",
        cpu(() => void inflateSync(z)),
      );
      const dst = arena.alloc(px.length);
      add(
        "copy out: new Uint8Array(view)",
        cpu(() => void new Uint8Array(arena.u8().subarray(dst, dst + px.length))),
      );
      add(
        "copy out: set into reused",
        cpu(() => reused.set(arena.u8().subarray(dst, dst + px.length))),
      );
      add(
        "copy out: view.slice()",
        cpu(
          () =>
            void arena
              .u8()
              .subarray(dst, dst + px.length)
              .slice(),
        ),
      );
      add(
        "copy out: buffer.slice()",
        cpu(() => void new Uint8Array(arena.u8().buffer.slice(dst, dst + px.length))),
      );
    }
  }
  const s = tokenStats(z);
  const m = (name: string) => median(t[name]!);
  console.log(`## ${f.split("/").pop()}: ${w} wide, ${h} rows, ${raw.length} raw bytes from ${z.length} (${idats.length} IDAT)`);
  console.log(
    `filters (none/sub/up/avg/paeth rows): ${filters.join("/")}; deflate: ${s.blocks} blocks (${s.dynamic} dynamic), ${s.literals} literals (${(s.litBits / s.literals).toFixed(2)} bits avg), ${s.matches} matches (${s.matchBytes} bytes, ${(s.matchBytes / s.matches).toFixed(1)} avg)`,
  );
  console.log(`match lengths ${JSON.stringify(Object.fromEntries(s.len))}; distances ${JSON.stringify(Object.fromEntries(s.dist))}`);
  const whole = m("decode, fresh array (as decode())");
  for (const name of Object.keys(t)) console.log(`  ${name.padEnd(36)} ${m(name).toFixed(3)} ms  ${((100 * m(name)) / whole).toFixed(0)}%`);
  const rest = m("put + pngInfo + pngDecode") - m("put + pngInfo") - m("zlibInflate (incl. Adler-32)") - m("crc32 over the IDAT chunks");
  console.log(`  ${"unfilter + gather + rest (derived)".padEnd(36)} ${rest.toFixed(3)} ms  ${((100 * rest) / whole).toFixed(0)}%`);
  const inflateOnly = m("zlibInflate (incl. Adler-32)") - m("adler32 over the raw data");
  const jimp = m("jimp (Jimp.fromBuffer)");
  console.log(
    `  jimp / decode ${(jimp / whole).toFixed(1)}x; jimp / zlibInflate alone ${(jimp / m("zlibInflate (incl. Adler-32)")).toFixed(1)}x (the most reachable if all else were free)`,
  );
  console.log(`  inflate alone: ${(raw.length / inflateOnly / 1000).toFixed(0)} MB/s of output\n`);
}
