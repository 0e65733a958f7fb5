// Box maths as torchvision 0.28 computes it (transforms/v2/functional/_meta.py, _geometry.py),
// in float32: every + - * / goes through Math.fround, which gives the correctly rounded binary32
// result (a double holds the exact product of two floats, and double rounding is harmless for
// + - * / sqrt at these precisions), in torch's order of operations. Trigonometry for rotated
// boxes comes from the kernel (kmath), rounded to float32.
import { kmath } from "../kernel/math.js";
import { boxSize, isRotated, type BoxFormat, type ClampingMode } from "./types.js";

const f = Math.fround;
/** torch.pi as a float32 scalar operand. */
const PI32 = f(Math.PI);
const HALF_PI32 = f(Math.PI / 2);
const sin32 = (x: number): number => f(kmath.sin(x));
const cos32 = (x: number): number => f(kmath.cos(x));
const atan2_32 = (y: number, x: number): number => f(kmath.atan2(y, x));
const sqrt32 = (x: number): number => f(Math.sqrt(x));
/** degrees -> radians as torch: r.mul(pi).div(180) in float32. */
const rad32 = (deg: number): number => f(f(deg * PI32) / 180);

// ---------------------------------------------------------------------------------------
// Format conversion (torchvision's _convert_bounding_box_format), one box at a time

type Row = Float32Array;

function xywhToXyxy(b: Row): void {
  b[2] = b[2]! + b[0]!;
  b[3] = b[3]! + b[1]!;
}
function xyxyToXywh(b: Row): void {
  b[2] = b[2]! - b[0]!;
  b[3] = b[3]! - b[1]!;
}
function xywhToCxcywh(b: Row): void {
  b[0] = b[0]! + f(b[2]! / 2);
  b[1] = b[1]! + f(b[3]! / 2);
}
function cxcywhToXywh(b: Row): void {
  b[0] = b[0]! - f(b[2]! / 2);
  b[1] = b[1]! - f(b[3]! / 2);
}
function cxcywhToXyxy(b: Row): void {
  b[0] = b[0]! - f(b[2]! / 2);
  b[1] = b[1]! - f(b[3]! / 2);
  b[2] = b[2]! + b[0]!;
  b[3] = b[3]! + b[1]!;
}
function xyxyToCxcywh(b: Row): void {
  b[2] = b[2]! - b[0]!;
  b[3] = b[3]! - b[1]!;
  b[0] = f(f(b[0]! * 2) + b[2]!) / 2;
  b[1] = f(f(b[1]! * 2) + b[3]!) / 2;
}
function cxcywhrToXywhr(b: Row): void {
  const hw = Math.abs(f(b[2]! / -2)),
    hh = Math.abs(f(b[3]! / -2));
  const r = rad32(b[4]!);
  const c = cos32(r),
    s = sin32(r);
  b[0] = f(f(b[0]! - f(hw * c)) - f(hh * s));
  b[1] = f(f(b[1]! + f(hw * s)) - f(hh * c));
}
function xywhrToCxcywhr(b: Row): void {
  const hw = Math.abs(f(b[2]! / -2)),
    hh = Math.abs(f(b[3]! / -2));
  const r = rad32(b[4]!);
  const c = cos32(r),
    s = sin32(r);
  b[0] = f(f(b[0]! + f(hw * c)) + f(hh * s));
  b[1] = f(f(b[1]! - f(hw * s)) + f(hh * c));
}
function xywhrToXyxyxyxy(b: Row, out: Row): void {
  const [x, y, w, h] = [b[0]!, b[1]!, b[2]!, b[3]!];
  const r = rad32(b[4]!);
  const c = cos32(r),
    s = sin32(r);
  out[0] = x;
  out[1] = y;
  out[2] = f(x + f(w * c));
  out[3] = f(y - f(w * s));
  out[4] = f(x + f(f(w * c) + f(h * s)));
  out[5] = f(y - f(f(w * s) - f(h * c)));
  out[6] = f(x + f(h * s));
  out[7] = f(y + f(h * c));
}
function xyxyxyxyToXywhr(b: Row, out: Row): void {
  const r = atan2_32(f(b[1]! - b[3]!), f(b[2]! - b[0]!));
  const dx3 = f(b[4]! - b[2]!),
    dy3 = f(b[5]! - b[3]!);
  const dx = f(b[2]! - b[0]!),
    dy = f(b[3]! - b[1]!);
  out[0] = b[0]!;
  out[1] = b[1]!;
  out[2] = sqrt32(f(f(dx * dx) + f(dy * dy)));
  out[3] = sqrt32(f(f(dx3 * dx3) + f(dy3 * dy3)));
  out[4] = f(f(r / PI32) * 180);
}

/** Converts boxes between formats (torchvision's convert_bounding_box_format); returns new memory. */
export function convertFormat(data: Float32Array, from: BoxFormat, to: BoxFormat): Float32Array {
  if (from === to) return data.slice();
  if (isRotated(from) !== isRotated(to)) throw new TypeError(`cannot convert between rotated and unrotated boxes (${from} -> ${to})`);
  const pin = boxSize(from),
    pout = boxSize(to);
  const n = data.length / pin;
  const out = new Float32Array(n * pout);
  const tmp = new Float32Array(8);
  for (let i = 0; i < n; i++) {
    const src = data.subarray(i * pin, (i + 1) * pin);
    const dst = out.subarray(i * pout, (i + 1) * pout);
    if (!isRotated(from)) {
      dst.set(src);
      if (from === "XYWH" && to === "CXCYWH") xywhToCxcywh(dst);
      else if (from === "CXCYWH" && to === "XYWH") cxcywhToXywh(dst);
      else {
        if (from === "XYWH") xywhToXyxy(dst);
        else if (from === "CXCYWH") cxcywhToXyxy(dst);
        if (to === "XYWH") xyxyToXywh(dst);
        else if (to === "CXCYWH") xyxyToCxcywh(dst);
      }
      continue;
    }
    // rotated: through XYWHR
    const w = tmp.subarray(0, 5);
    if (from === "XYXYXYXY") xyxyxyxyToXywhr(src, w);
    else {
      w.set(src);
      if (from === "CXCYWHR") cxcywhrToXywhr(w);
    }
    if (to === "XYXYXYXY") xywhrToXyxyxyxy(w, dst);
    else {
      if (to === "CXCYWHR") xywhrToCxcywhr(w);
      dst.set(w);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Clamping

/** torch.isclose(a, b) with its defaults (rtol 1e-5, atol 1e-8), in float32. */
function isclose(a: number, b: number): boolean {
  if (a === b) return true;
  const err = Math.abs(f(a - b));
  return Number.isFinite(err) && err <= f(f(1e-8) + Math.abs(f(f(1e-5) * b)));
}

const clampTo = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

/** torch's x.clamp(min=lo, max=hi) with NaN propagating. */
function tclamp(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x) || Number.isNaN(lo) || Number.isNaN(hi)) return NaN;
  return clampTo(x, lo, hi);
}

/** _order_bounding_boxes_points: the rotation of the 4 points that puts the left-most (then top-most) first. */
function orderIndex(b: Row): number {
  let ymax = -Infinity,
    xmax = -Infinity;
  for (let j = 0; j < 4; j++) {
    ymax = Math.max(ymax, Math.abs(b[2 * j + 1]!));
    xmax = Math.max(xmax, Math.abs(b[2 * j]!));
  }
  let best = 0,
    bestV = Infinity;
  for (let j = 0; j < 4; j++) {
    const v = f(f(b[2 * j + 1]! / ymax) + f(f(b[2 * j]! / xmax) * 100));
    if (v < bestV || (Number.isNaN(v) && !Number.isNaN(bestV))) {
      bestV = v;
      best = j;
      if (Number.isNaN(v)) break;
    }
  }
  return best;
}

function rotatePoints(b: Row, k: number): void {
  if (k === 0) return;
  const t = Array.from(b);
  for (let i = 0; i < 8; i++) b[i] = t[(i + 2 * k) % 8]!;
}

function slopes(b: Row): { a: number[]; c: number[] } {
  const a: number[] = [],
    c: number[] = [];
  for (let j = 0; j < 4; j++) {
    const n = (j + 1) % 4;
    a.push(f(f(b[2 * n + 1]! - b[2 * j + 1]!) / f(b[2 * n]! - b[2 * j]!)));
  }
  for (let j = 0; j < 4; j++) c.push(f(b[2 * j + 1]! - f(a[j]! * b[2 * j]!)));
  return { a, c };
}

function clampIntercepts(b: Row, orig: Row, H: number, W: number, hard: boolean): number[] {
  const { a } = slopes(b);
  const { c: bb } = slopes(b);
  const [a1, a2, a3, a4] = a as [number, number, number, number];
  let [b1, b2, b3, b4] = bb as [number, number, number, number];
  const { c: bm } = slopes(orig);
  const [b1m, b2m, b3m, b4m] = bm as [number, number, number, number];
  const nb1 = tclamp(tclamp(b2, b1, b3), 0, H);
  const nb4 = tclamp(tclamp(b3, b2, b4), 0, H);
  b1 = nb1;
  b4 = nb4;
  if (hard) {
    const avg = f(f(b1 + b4) / 2);
    b1 = b4 = avg;
    const c2 = [f(f(b1 * a2) / a1), f(f(b3 * a2) / a3), f(f(f(a1 - a2) * W) + b1), f(f(f(a3 - a2) * W) + b3)];
    b2 = tclamp(nanMax(c2), -Infinity, b2);
    const c3 = [
      f(f(H * f(1 - f(a3 / a4))) + f(f(b4 * a3) / a4)),
      f(f(H * f(1 - f(a3 / a2))) + f(f(b2 * a3) / a2)),
      f(f(f(a2 - a3) * W) + b2),
      f(f(f(a4 - a3) * W) + b4),
    ];
    b3 = tclamp(nanMin(c3), b3, Infinity);
    // b1 and b4 are one tensor in torchvision here: clamping one clamps both.
    let v = tclamp(b1, b1m, b3m);
    b3 = tclamp(b3, b1m, b3m);
    b2 = tclamp(b2, b2m, b4m);
    v = tclamp(v, b2m, b4m);
    return [v, b2, b3, v];
  }
  b1 = tclamp(b1, b1m, b3m);
  b3 = tclamp(b3, b1m, b3m);
  b2 = tclamp(b2, b2m, b4m);
  b4 = tclamp(b4, b2m, b4m);
  return [b1, b2, b3, b4];
}

function nanMax(v: number[]): number {
  return v.some(Number.isNaN) ? NaN : Math.max(...v);
}
function nanMin(v: number[]): number {
  return v.some(Number.isNaN) ? NaN : Math.min(...v);
}

function clampAlongY(b: Row, orig: Row, H: number, W: number, hard: boolean): void {
  const { a } = slopes(b);
  const [x1, y1, x2, y2, x3, y3, x4, y4] = Array.from(b) as number[];
  const bi = clampIntercepts(b, orig, H, W, hard);
  const caseA: number[] = [];
  for (let j = 0; j < 4; j++) {
    const p = (j + 3) % 4;
    const x = f(-f(bi[j]! - bi[p]!) / f(a[j]! - a[p]!));
    caseA.push(x, f(f(a[j]! * x) + bi[j]!));
  }
  const condA = x1! < 0 && !caseA.some(Number.isNaN);
  const condB = isclose(y1!, y2!) || isclose(y3!, y4!);
  let condC = x1! <= 0 && x2! <= 0 && x3! <= 0 && x4! <= 0;
  condC = condC || isclose(y1!, y4!) || isclose(y2!, y3!) || (condB && isclose(x1!, x2!));
  let out = Array.from(b);
  if (condA) out = caseA;
  if (condB) {
    out = Array.from(b);
    out[0] = Math.max(out[0]!, 0);
    out[6] = Math.max(out[6]!, 0);
  }
  if (condC) out = [0, 0, 0, 0, 0, 0, 0, 0];
  b.set(out);
}

/** torchvision's _clamp_rotated_bounding_boxes for one XYXYXYXY box, in place. */
function clampRotatedRow(b: Row, canvas: [number, number], hard: boolean): void {
  let [H, W] = canvas;
  const orig = b.slice();
  for (let k = 0; k < 4; k++) {
    const idx = orderIndex(b);
    rotatePoints(b, idx);
    rotatePoints(orig, idx);
    clampAlongY(b, orig, H, W, hard);
    rotatePoints(b, idx);
    rotatePoints(orig, idx);
    // rotate 90 degrees counter-clockwise
    for (const p of [b, orig]) {
      for (let j = 0; j < 4; j++) {
        const x = p[2 * j]!,
          y = p[2 * j + 1]!;
        p[2 * j] = y;
        p[2 * j + 1] = f(W - x);
      }
    }
    [H, W] = [W, H];
  }
}

/**
 * Clamps boxes to the canvas as torchvision's clamp_bounding_boxes: corners into [0, W] x
 * [0, H] for unrotated formats (soft and hard are the same there); torchvision's rotated
 * clamping ("soft": the smallest box with the same angle around the part inside, "hard": one
 * inside) for rotated formats; nothing for null. Returns new memory.
 */
export function clampBoxes(data: Float32Array, format: BoxFormat, canvas: [number, number], mode: ClampingMode): Float32Array {
  if (mode === null) return data.slice();
  const [H, W] = canvas;
  if (!isRotated(format)) {
    const xyxy = convertFormat(data, format, "XYXY");
    for (let i = 0; i < xyxy.length; i += 4) {
      xyxy[i] = tclamp(xyxy[i]!, 0, W);
      xyxy[i + 2] = tclamp(xyxy[i + 2]!, 0, W);
      xyxy[i + 1] = tclamp(xyxy[i + 1]!, 0, H);
      xyxy[i + 3] = tclamp(xyxy[i + 3]!, 0, H);
    }
    return format === "XYXY" ? xyxy : convertFormat(xyxy, "XYXY", format);
  }
  const pts = convertFormat(data, format, "XYXYXYXY");
  for (let i = 0; i < pts.length; i += 8) clampRotatedRow(pts.subarray(i, i + 8), canvas, mode === "hard");
  return format === "XYXYXYXY" ? pts : convertFormat(pts, "XYXYXYXY", format);
}

/**
 * torchvision's _parallelogram_to_bounding_boxes: the rectangle keeping the two corners of
 * each parallelogram's longest diagonal (XYXYXYXY in and out).
 */
export function parallelogramToBoxes(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i += 8) {
    const [x1, y1, x2, y2, x3, y3, x4, y4] = Array.from(data.subarray(i, i + 8)) as number[];
    const cx = f(f(x1! + x3!) / 2),
      cy = f(f(y1! + y3!) / 2);
    const sq = (v: number) => f(v * v);
    const wp = sqrt32(f(sq(f(x2! - x1!)) + sq(f(y2! - y1!))));
    const hp = sqrt32(f(sq(f(x4! - x1!)) + sq(f(y4! - y1!))));
    const r12 = atan2_32(f(y1! - y2!), f(x2! - x1!));
    const r14 = atan2_32(f(y1! - y4!), f(x4! - x1!));
    let r = f(r12 - r14);
    const sign = r > HALF_PI32 ? -1 : 1;
    let c = cos32(r),
      s = sin32(r);
    const w = wp < hp ? f(wp * s) : f(wp + f(f(hp * c) * sign));
    const h = wp > hp ? f(hp * s) : f(hp + f(f(wp * c) * sign));
    r = hp > wp ? f(r14 + HALF_PI32) : r12;
    c = cos32(r);
    s = sin32(r);
    const w2 = f(w / 2),
      h2 = f(h / 2);
    const w2c = f(w2 * c),
      w2s = f(w2 * s),
      h2c = f(h2 * c),
      h2s = f(h2 * s);
    out.set(
      [
        f(f(cx - w2c) - h2s),
        f(f(cy - h2c) + w2s),
        f(f(cx + w2c) - h2s),
        f(f(cy - h2c) - w2s),
        f(f(cx + w2c) + h2s),
        f(f(cy + h2c) - w2s),
        f(f(cx - w2c) + h2s),
        f(f(cy + h2c) + w2s),
      ],
      i,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Validity and overlap

/**
 * torchvision's _get_sanitize_bounding_boxes_mask: which boxes are at least min_size wide and
 * high, at least min_area large, and inside [0, W] x [0, H] (rotated boxes: torchvision's
 * side lengths, including its use of (y2 - y3, x3 - x4) for the second side).
 */
export function validBoxes(data: Float32Array, format: BoxFormat, canvas: [number, number], minSize: number, minArea: number): boolean[] {
  const rotated = isRotated(format);
  const b = convertFormat(data, format, rotated ? "XYXYXYXY" : "XYXY");
  const per = rotated ? 8 : 4;
  const [H, W] = canvas;
  const ms = f(minSize),
    ma = f(minArea);
  const valid: boolean[] = [];
  for (let i = 0; i < b.length; i += per) {
    let ws: number, hs: number;
    if (rotated) {
      const dx12 = f(b[i]! - b[i + 2]!),
        dy12 = f(b[i + 1]! - b[i + 3]!);
      const dx23 = f(b[i + 3]! - b[i + 5]!),
        dy23 = f(b[i + 4]! - b[i + 6]!);
      ws = sqrt32(f(f(dx12 * dx12) + f(dy12 * dy12)));
      hs = sqrt32(f(f(dx23 * dx23) + f(dy23 * dy23)));
    } else {
      ws = f(b[i + 2]! - b[i]!);
      hs = f(b[i + 3]! - b[i + 1]!);
    }
    let ok = ws >= ms && hs >= ms && f(ws * hs) >= ma;
    for (let k = 0; k < per; k++) ok &&= b[i + k]! >= 0;
    ok &&= b[i]! <= W && b[i + 2]! <= W && b[i + 1]! <= H && b[i + 3]! <= H;
    if (rotated) ok &&= b[i + 4]! <= W && b[i + 5]! <= H && b[i + 6]! <= W && b[i + 7]! <= H;
    valid.push(ok);
  }
  return valid;
}

/** torchvision.ops.box_iou of XYXY boxes against one XYXY box, in float32. */
export function iouWith(xyxy: Float32Array, box: [number, number, number, number]): number[] {
  const [l, t, r, b] = box.map(f) as [number, number, number, number];
  const area2 = f(f(r - l) * f(b - t));
  const out: number[] = [];
  for (let i = 0; i < xyxy.length; i += 4) {
    const area1 = f(f(xyxy[i + 2]! - xyxy[i]!) * f(xyxy[i + 3]! - xyxy[i + 1]!));
    const w = Math.max(f(Math.min(xyxy[i + 2]!, r) - Math.max(xyxy[i]!, l)), 0);
    const h = Math.max(f(Math.min(xyxy[i + 3]!, b) - Math.max(xyxy[i + 1]!, t)), 0);
    const inter = f(w * h);
    out.push(f(inter / f(f(area1 + area2) - inter)));
  }
  return out;
}
