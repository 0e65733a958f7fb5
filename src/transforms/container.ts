// Transforms of transforms: Compose, RandomApply, RandomChoice, RandomOrder. Child i draws
// from slot i of its parent, so adding a child never changes the draws of the others.
import { describe, type Meta } from "../image.js";
import { checkFinite } from "../functional/args.js";
import { Context, Transform, type Json } from "./base.js";
import { checkOp, opMeta, type Op } from "./ops.js";
import { checkSemantics, DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";
import { expectParams, isInt, isObject, checkProbability } from "./params.js";
import { childTransforms, register } from "./schema.js";

/**
 * Deepest nesting of containers (Compose in Compose in ...) a pipeline may have. Real pipelines
 * nest a few levels; the bound keeps every recursive walk (params, ops, JSON) far from the stack
 * limit.
 */
export const MAX_DEPTH = 64;

/** Most children one container may hold. */
export const MAX_CHILDREN = 10_000;

/** Container nesting depth of each container (leaves are 0). */
const depths = new WeakMap<Transform, number>();

/** The children, frozen (so the depth below stays true), after checking their nesting depth. */
function checkChildren(self: Transform, transforms: unknown, name = "transforms"): readonly Transform[] {
  if (!Array.isArray(transforms)) throw new TypeError(`${name} must be an array of transforms, got ${describe(transforms)}`);
  const n: unknown = transforms.length;
  if (typeof n !== "number" || n > MAX_CHILDREN) throw new RangeError(`${name} may hold at most ${MAX_CHILDREN} transforms, got ${describe(n)}`);
  const children: unknown[] = [];
  for (let i = 0; i < n; i++) children.push(transforms[i]);
  children.forEach((t, i) => {
    if (!(t instanceof Transform)) throw new TypeError(`${name} must be an array of transforms, but ${name}[${i}] is ${describe(t)}`);
  });
  const depth = 1 + children.reduce((d: number, t) => Math.max(d, depths.get(t as Transform) ?? 0), 0);
  if (depth > MAX_DEPTH) throw new RangeError(`${name}: containers nest ${depth} deep, over the limit of ${MAX_DEPTH}`);
  depths.set(self, depth);
  return Object.freeze(children as Transform[]);
}

/**
 * Params of a run of children in `order`, meta flowing from one to the next; also the final
 * meta. The semantics travel in `ctx` (each child's slot inherits them).
 */
function runParams(children: readonly Transform[], order: number[], ctx: Context, meta: Meta): [Json[], Meta] {
  const params: Json[] = new Array<Json>(children.length).fill(null);
  let m = meta;
  for (const i of order) [params[i], m] = children[i]!.sampleWithMeta(ctx.child(i), m);
  return [params, m];
}

function runOps(children: readonly Transform[], order: number[], params: Json[], meta: Meta, semantics: Semantics): Op[] {
  const ops: Op[] = [];
  let m = meta;
  for (const i of order) {
    const own = children[i]!.ops(params[i]!, m, semantics);
    ops.push(...own);
    // The meta from the ops just built: asking the child again would rebuild them, doubling
    // the cost with each level of nesting.
    for (const op of own) {
      checkOp(op, children[i]!.type);
      m = opMeta(op, m);
    }
  }
  return ops;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Options of {@link Compose}. */
export interface ComposeOptions {
  /**
   * Which torchvision pipeline to reproduce: "pil" (torchvision on PIL images, the default
   * at the root) or "tensor" (torchvision v2 on uint8 tensors). A nested Compose without
   * it takes its parent's. Recorded in toJSON(), in records and in the CLI manifest.
   */
  semantics?: Semantics;
}

/** Applies transforms one after the other (torchvision Compose). Params: one entry per child. */
export class Compose extends Transform<Json[]> {
  readonly type = "Compose";
  readonly transforms: readonly Transform[];
  readonly random: boolean;
  /** The semantics given to the constructor, or null to take the parent's ("pil" at the root). */
  readonly ownSemantics: Semantics | null;

  constructor(transforms: Transform[], opts: ComposeOptions = {}) {
    super();
    this.transforms = checkChildren(this, transforms);
    this.random = this.transforms.some((t) => t.random);
    if (typeof opts !== "object" || opts === null) throw new TypeError(`Compose options must be an object { semantics }, got ${describe(opts)}`);
    for (const k of Object.keys(opts)) if (k !== "semantics") throw new RangeError(`unknown Compose option ${JSON.stringify(k)} (allowed: semantics)`);
    const semantics: unknown = opts.semantics;
    this.ownSemantics = semantics === undefined ? null : checkSemantics(semantics);
  }

  override get semantics(): Semantics {
    return this.ownSemantics ?? DEFAULT_SEMANTICS;
  }

  makeParams(ctx: Context, meta: Meta): Json[] {
    return this.sampleWithMeta(ctx, meta)[0];
  }

  override sampleWithMeta(ctx: Context, meta: Meta): [Json[], Meta] {
    const c = this.ownSemantics ? ctx.withSemantics(this.ownSemantics) : ctx;
    return runParams(this.transforms, range(this.transforms.length), c, meta);
  }

  ops(params: Json[], meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    expectParams(Array.isArray(params) && params.length === this.transforms.length, this.type, `an array of ${this.transforms.length} child params`, params);
    return runOps(this.transforms, range(this.transforms.length), params, meta, this.ownSemantics ?? semantics);
  }

  protected config(): Record<string, Json> {
    return this.ownSemantics ? { transforms: this.transforms.map((t) => t.toJSON()), semantics: this.ownSemantics } : { transforms: this.transforms.map((t) => t.toJSON()) };
  }
}

/** Params of {@link RandomApply}. */
export interface RandomApplyParams {
  [k: string]: Json;
  applied: boolean;
  params: Json[] | null;
}

/** Applies its transforms, in order, with probability p (torchvision RandomApply). */
export class RandomApply extends Transform<RandomApplyParams> {
  readonly type = "RandomApply";
  readonly random = true;
  readonly transforms: readonly Transform[];
  readonly p: number;

  constructor(transforms: Transform[], p = 0.5) {
    super();
    this.transforms = checkChildren(this, transforms);
    this.p = checkProbability(p);
  }

  makeParams(ctx: Context, meta: Meta): RandomApplyParams {
    return this.sampleWithMeta(ctx, meta)[0];
  }

  override sampleWithMeta(ctx: Context, meta: Meta): [RandomApplyParams, Meta] {
    const applied = ctx.rng.random() < this.p;
    if (!applied) return [{ applied, params: null }, meta];
    const [params, m] = runParams(this.transforms, range(this.transforms.length), ctx, meta);
    return [{ applied, params }, m];
  }

  ops(params: RandomApplyParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    expectParams(isObject(params) && typeof params.applied === "boolean", this.type, "{ applied, params }", params);
    if (!params.applied) return [];
    expectParams(Array.isArray(params.params) && params.params.length === this.transforms.length, this.type, `params with ${this.transforms.length} entries`, params.params);
    return runOps(this.transforms, range(this.transforms.length), params.params!, meta, semantics);
  }

  protected config(): Record<string, Json> {
    return { transforms: this.transforms.map((t) => t.toJSON()), p: this.p };
  }
}

/** Params of {@link RandomChoice}. */
export interface RandomChoiceParams {
  [k: string]: Json;
  choice: number;
  params: Json;
}

/** Applies one of its transforms, picked with weights p (uniform by default) (torchvision RandomChoice). */
export class RandomChoice extends Transform<RandomChoiceParams> {
  readonly type = "RandomChoice";
  readonly random = true;
  readonly transforms: readonly Transform[];
  readonly p: number[] | null;

  constructor(transforms: Transform[], p: number[] | null = null) {
    super();
    this.transforms = checkChildren(this, transforms);
    if (this.transforms.length === 0) throw new RangeError("transforms must not be empty");
    if (p !== null && p !== undefined) {
      if (!Array.isArray(p) || p.length !== this.transforms.length) throw new RangeError(`p must have one weight per transform (${this.transforms.length}), got ${describe(p)}`);
      p.forEach((w, i) => {
        if (checkFinite(w, `p[${i}]`) < 0) throw new RangeError(`p[${i}] must be >= 0, got ${w}`);
      });
      if (p.reduce((a, b) => a + b, 0) <= 0) throw new RangeError("p must have a positive sum");
    }
    this.p = p ? [...p] : null;
  }

  makeParams(ctx: Context, meta: Meta): RandomChoiceParams {
    return this.sampleWithMeta(ctx, meta)[0];
  }

  override sampleWithMeta(ctx: Context, meta: Meta): [RandomChoiceParams, Meta] {
    const w = this.p ?? this.transforms.map(() => 1);
    const total = w.reduce((a, b) => a + b, 0);
    const u = ctx.rng.random() * total;
    let choice = 0;
    for (let acc = w[0]!; choice < w.length - 1 && u >= acc; acc += w[choice + 1]!, choice++);
    while (w[choice] === 0) choice--; // u landed on the end of a zero-weight run
    const [params, m] = this.transforms[choice]!.sampleWithMeta(ctx.child(choice), meta);
    return [{ choice, params }, m];
  }

  ops(params: RandomChoiceParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    expectParams(isObject(params) && isInt(params.choice) && params.choice >= 0 && params.choice < this.transforms.length, this.type, `{ choice in [0, ${this.transforms.length}), params }`, params);
    return this.transforms[params.choice]!.ops(params.params, meta, semantics);
  }

  protected config(): Record<string, Json> {
    return { transforms: this.transforms.map((t) => t.toJSON()), p: this.p };
  }
}

/** Params of {@link RandomOrder}. */
export interface RandomOrderParams {
  [k: string]: Json;
  order: number[];
  params: Json[];
}

/** Applies its transforms in a random order (torchvision RandomOrder); Fisher-Yates on the slot's stream. */
export class RandomOrder extends Transform<RandomOrderParams> {
  readonly type = "RandomOrder";
  readonly random = true;
  readonly transforms: readonly Transform[];

  constructor(transforms: Transform[]) {
    super();
    this.transforms = checkChildren(this, transforms);
  }

  makeParams(ctx: Context, meta: Meta): RandomOrderParams {
    return this.sampleWithMeta(ctx, meta)[0];
  }

  override sampleWithMeta(ctx: Context, meta: Meta): [RandomOrderParams, Meta] {
    const order = range(this.transforms.length);
    for (let i = order.length - 1; i > 0; i--) {
      const j = ctx.rng.randint(0, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const [params, m] = runParams(this.transforms, order, ctx, meta);
    return [{ order, params }, m];
  }

  ops(params: RandomOrderParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const n = this.transforms.length;
    const ok = isObject(params) && Array.isArray(params.order) && params.order.length === n && [...params.order].sort((a, b) => a - b).every((v, i) => v === i) && Array.isArray(params.params) && params.params.length === n;
    expectParams(ok, this.type, `{ order: a permutation of 0..${n - 1}, params }`, params);
    return runOps(this.transforms, params.order, params.params, meta, semantics);
  }

  protected config(): Record<string, Json> {
    return { transforms: this.transforms.map((t) => t.toJSON()) };
  }
}

register("Compose", {
  fields: ["transforms", "semantics"],
  create: (f, path) => new Compose(childTransforms(f.transforms, path), f.semantics === undefined ? {} : { semantics: f.semantics as Semantics }),
});
register("RandomApply", { fields: ["transforms", "p"], create: (f, path) => new RandomApply(childTransforms(f.transforms, path), (f.p ?? 0.5) as number) });
register("RandomChoice", { fields: ["transforms", "p"], create: (f, path) => new RandomChoice(childTransforms(f.transforms, path), (f.p ?? null) as number[] | null) });
register("RandomOrder", { fields: ["transforms"], create: (f, path) => new RandomOrder(childTransforms(f.transforms, path)) });
