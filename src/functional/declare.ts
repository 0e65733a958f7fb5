// The functional ops' argument shapes, declared once: torchvision's positional order, how many of
// those the implementation takes positionally (the rest go into its options object), and the
// further options. `fn` wraps an op so that torchvision's positional call works
// (`F.affine(img, 30, [1, 0], 1.2, [0, 0])`), and an unknown option (with a "did you mean"),
// a field given twice, an extra positional or null options is an error naming it. The
// implementation still checks every value's type and range.
import { describe, isTensor, type Image, type Tensor } from "../image.js";
import { didYouMean } from "./args.js";
import { isKernelImage, type KernelImage } from "../kernel/image.js";
import { kernelOut } from "./resample.js";

/** How a functional op takes its arguments. */
export interface FnDeclaration {
  /** The op's name under `F`. */
  readonly name: string;
  /** torchvision's positional order (camelCase), the input first. */
  readonly positional: readonly string[];
  /** How many of `positional` the implementation takes positionally; the rest go into its options object. */
  readonly implPositional: number;
  /** Options beyond torchvision's arguments (`out`, `semantics`, ...). */
  readonly options: readonly string[];
  /** Whether the implementation takes a KernelImage input and `out` itself (otherwise `fn` copies them; see {@link fn}). */
  readonly kernelImages?: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const declared = new Map<Function, FnDeclaration>();

/** The declaration of a wrapped op (tests generate their cases from it). */
export function fnDeclarationOf(f: Function): FnDeclaration | undefined {
  return declared.get(f);
}

/** `R` (an op's arguments after the image) with its trailing options' `out` a KernelImage. */
type KernelOutArgs<R extends unknown[]> =
  Required<R> extends [...infer H, infer L]
    ? L extends { out?: unknown }
      ? [...H, opts: Omit<L, "out"> & { out: KernelImage }]
      : never
    : never;

/**
 * An image op's type as {@link fn} wraps it: a KernelImage input gives what an Image gives, and
 * a KernelImage `out` (where the op returns one image) is written and returned. Ops that keep
 * the image's shape read and write it in place; the others copy (same bytes).
 */
export type TakesKernelImage<F> = F extends (img: Image, ...rest: infer R) => infer O
  ? F &
      ((img: KernelImage, ...rest: R) => O) &
      (O extends Image ? (img: Image | KernelImage, ...rest: KernelOutArgs<R>) => KernelImage : unknown)
  : F;

/**
 * `impl` taking torchvision's positional form too, and refusing what neither form allows. A
 * KernelImage input or `out` reaches an implementation that does not take them itself
 * (`kernelImages`) as copies: the input copied out, the image result copied into `out`. The
 * bytes are the same; only the copies differ.
 */
export function fn<F extends (...args: never[]) => unknown>(impl: F, d: FnDeclaration): TakesKernelImage<F> {
  const allowed = [...d.positional.slice(d.implPositional), ...d.options];
  const max = d.positional.length;
  const wrapped = (...args: unknown[]): unknown => {
    let n = args.length;
    while (n > 0 && args[n - 1] === undefined) n--;
    let opts: Record<string, unknown> | null = null;
    if (n > d.implPositional && isPlainObject(args[n - 1])) {
      opts = args[n - 1] as Record<string, unknown>;
      n--;
    } else if (n > d.implPositional && args[n - 1] === null && n - 1 >= max) {
      throw new TypeError(`F.${d.name}: options must be an object (or left out), got null`);
    }
    // null where lockstep's options object goes is a null options object, not torchvision's None.
    if (n > d.implPositional && args[d.implPositional] === null)
      throw new TypeError(`F.${d.name}: options must be an object (or left out), got null as argument ${d.implPositional + 1}`);
    if (n > max)
      throw new TypeError(
        `F.${d.name} takes at most ${max} positional argument${max > 1 ? "s" : ""} (${d.positional.join(", ")}) and an options object, got ${describe(args[max])} as argument ${max + 1}`,
      );
    const o: Record<string, unknown> = {};
    for (let i = d.implPositional; i < n; i++) if (args[i] !== undefined) o[d.positional[i]!] = args[i];
    if (opts) {
      for (const k of Object.keys(opts)) {
        if (!allowed.includes(k))
          throw new RangeError(
            `F.${d.name}: unknown option "${k}"${didYouMean(k, allowed)} (${allowed.length ? `options: ${allowed.join(", ")}` : "it takes no options"})`,
          );
        const v = opts[k];
        if (v === undefined) continue;
        if (k in o)
          throw new TypeError(`F.${d.name}: ${k} given twice (as argument ${d.positional.indexOf(k) + 1} and in the options object)`);
        o[k] = v;
      }
    }
    const head = Array.from({ length: d.implPositional }, (_, i) => (i < n ? args[i] : undefined));
    const call = impl as unknown as (...a: unknown[]) => unknown;
    const kout = o.out;
    if (d.kernelImages || !(isKernelImage(head[0]) || isKernelImage(kout))) return call(...head, o);
    if (isKernelImage(head[0])) head[0] = head[0].toImage();
    if (!isKernelImage(kout)) return call(...head, o);
    delete o.out;
    const r = call(...head, o) as Image | Tensor;
    if (typeof r !== "object" || r === null || isTensor(r) || !(r.data instanceof Uint8Array))
      throw new TypeError(`F.${d.name}: out is a KernelImage, but this op does not return one image: pass a Float32Array (or no out)`);
    kernelOut(kout, [r.height, r.width, r.channels]);
    kout.pixels.set(r.data);
    return kout;
  };
  Object.defineProperty(wrapped, "name", { value: d.name });
  declared.set(wrapped, d);
  return wrapped as unknown as TakesKernelImage<F>;
}
