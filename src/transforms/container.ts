// Transforms of transforms: Compose, RandomApply, RandomChoice, RandomOrder. Child i draws
// from slot i of its parent, so adding a child never changes the draws of the others.
import { describe, type Meta } from "../image.js";
import { checkFinite } from "../functional/args.js";
import { Context, Transform, type Json } from "./base.js";
import { checkOp, opMeta, type Op } from "../ir/ops.js";
import { checkSemantics, DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";
import { expectParams, isInt, isObject } from "./params.js";
import { childTransforms } from "./schema.js";
import { define, parseArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";
import type { TargetState } from "../targets/sample.js";

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
/** The children as a plain array (each element read once), refused by name unless an array of at most MAX_CHILDREN transforms. */
function childList(transforms: unknown, name = "transforms"): Transform[] {
  if (!Array.isArray(transforms)) throw new TypeError(`${name} must be an array of transforms, got ${describe(transforms)}`);
  const n: unknown = transforms.length;
  if (typeof n !== "number" || n > MAX_CHILDREN)
    throw new RangeError(`${name} may hold at most ${MAX_CHILDREN} transforms, got ${describe(n)}`);
  const children: unknown[] = [];
  for (let i = 0; i < n; i++) children.push(transforms[i]);
  children.forEach((t, i) => {
    if (!(t instanceof Transform)) throw new TypeError(`${name} must be an array of transforms, but ${name}[${i}] is ${describe(t)}`);
  });
  return children as Transform[];
}

/** The children of `self`, checked, with the nesting depth bounded; frozen. */
function checkChildren(self: Transform, transforms: unknown, name = "transforms"): readonly Transform[] {
  const children = childList(transforms, name);
  const depth = 1 + children.reduce((d: number, t) => Math.max(d, depths.get(t as Transform) ?? 0), 0);
  if (depth > MAX_DEPTH) throw new RangeError(`${name}: containers nest ${depth} deep, over the limit of ${MAX_DEPTH}`);
  depths.set(self, depth);
  return Object.freeze(children as Transform[]);
}

/**
 * Params of a run of children in `order`, meta (and targets, when a later child reads them or
 * `move` asks for them) flowing from one to the next; also the final meta and targets. The
 * semantics travel in `ctx` (each child's slot inherits them). One walk: linear in depth.
 */
function runParams(
  children: readonly Transform[],
  order: number[],
  ctx: Context,
  meta: Meta,
  targets?: TargetState,
  move = false,
): [Json[], Meta, TargetState | undefined] {
  const params: Json[] = new Array<Json>(children.length).fill(null);
  let m = meta;
  let t = targets;
  // Whether a child after position k reads targets: one pass, not one per child.
  const later = new Array<boolean>(order.length + 1).fill(move);
  if (t && !move)
    for (let k = order.length - 1; k >= 0; k--) later[k] = later[k + 1]! || children[order[k + 1] ?? -1]?.needsTargets === true;
  for (const [k, i] of order.entries()) {
    let moved: TargetState | undefined;
    [params[i], m, moved] = children[i]!.sampleWithMeta(ctx.child(i), m, t, !!t && later[k]!);
    if (t && later[k]) t = moved;
  }
  return [params, m, t];
}

/** The targets and the meta after a run of children in `order` (sizes flow as the image's do under `semantics`). */
function runTargets(
  children: readonly Transform[],
  order: number[],
  params: Json[],
  meta: Meta,
  state: TargetState,
  semantics: Semantics,
): [TargetState, Meta] {
  let m = meta;
  let t = state;
  for (const i of order) [t, m] = children[i]!.mapTargetsWithMeta(params[i]!, m, t, semantics);
  return [t, m];
}

const needs = (children: readonly Transform[]): boolean => children.some((c) => c.needsTargets);

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

/**
 * What every container shares: its children decide whether targets are read, and targets move in
 * the same walk that computes the output's size (mapTargetsWithMeta, linear in the nesting).
 */
abstract class Container<P extends Json> extends Transform<P> {
  abstract readonly transforms: readonly Transform[];

  override get needsTargets(): boolean {
    return needs(this.transforms);
  }

  /** The params alone: a container samples its children in one walk (sampleWithMeta), meta flowing between them. */
  makeParams(ctx: Context, meta: Meta, targets?: TargetState): P {
    return this.sampleWithMeta(ctx, meta, targets)[0];
  }

  override mapTargets(params: P, meta: Meta, state: TargetState, semantics: Semantics = DEFAULT_SEMANTICS): TargetState {
    return this.mapTargetsWithMeta(params, meta, state, semantics)[0];
  }

  /** The children's JSON, the one field every container serialises. */
  protected childrenJSON(): Json[] {
    return this.transforms.map((t) => t.toJSON());
  }
}

/** Applies transforms one after the other (torchvision Compose). Params: one entry per child. */
export class Compose<const C extends readonly Transform[] = Transform[]> extends Container<Json[]> {
  readonly type = "Compose";
  /** Type-only: the children's types, so that `apply` is typed by what they output (never set). */
  declare readonly "~children"?: C;
  readonly transforms: readonly Transform[];
  readonly random: boolean;
  /** The semantics given to the constructor, or null to take the parent's ("pil" at the root). */
  readonly ownSemantics: Semantics | null;

  /** torchvision's `(transforms)`, then optionally `{ semantics }`; or one `{ transforms, semantics }`. */
  constructor(transforms: C, opts?: ComposeOptions);
  constructor(opts: ComposeOptions & { transforms: C });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<ComposeOptions & { transforms: Transform[] }>(ComposeDecl, args);
    this.transforms = checkChildren(this, o.transforms);
    this.random = this.transforms.some((t) => t.random);
    this.ownSemantics = o.semantics ?? null;
  }

  override get semantics(): Semantics {
    return this.ownSemantics ?? DEFAULT_SEMANTICS;
  }

  override sampleWithMeta(ctx: Context, meta: Meta, targets?: TargetState, move = false): [Json[], Meta, TargetState | undefined] {
    const c = this.ownSemantics ? ctx.withSemantics(this.ownSemantics) : ctx;
    return runParams(this.transforms, range(this.transforms.length), c, meta, targets, move);
  }

  ops(params: Json[], meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    this.checkParams(params);
    return runOps(this.transforms, range(this.transforms.length), params, meta, this.ownSemantics ?? semantics);
  }

  override mapTargetsWithMeta(
    params: Json[],
    meta: Meta,
    state: TargetState,
    semantics: Semantics = DEFAULT_SEMANTICS,
  ): [TargetState, Meta] {
    this.checkParams(params);
    return runTargets(this.transforms, range(this.transforms.length), params, meta, state, this.ownSemantics ?? semantics);
  }

  /** Checks the params' shape (not the children's): cheap, so each level checks its own once. */
  private checkParams(params: Json[]): void {
    const n = this.transforms.length;
    expectParams(Array.isArray(params) && params.length === n, this.type, `an array of ${n} child params`, params);
  }

  protected override config(): Record<string, Json> {
    return this.ownSemantics ? { transforms: this.childrenJSON(), semantics: this.ownSemantics } : { transforms: this.childrenJSON() };
  }
}

/** Params of {@link RandomApply}. */
export interface RandomApplyParams {
  [k: string]: Json;
  applied: boolean;
  params: Json[] | null;
}

/** Applies its transforms, in order, with probability p (torchvision RandomApply). */
export class RandomApply<const C extends readonly Transform[] = Transform[]> extends Container<RandomApplyParams> {
  readonly type = "RandomApply";
  /** Type-only: the children's types, so that `apply` is typed by what they output (never set). */
  declare readonly "~children"?: C;
  readonly random = true;
  readonly transforms: readonly Transform[];
  readonly p: number;

  /** torchvision's `(transforms, p)`, or `(transforms, { p })`, or one `{ transforms, p }`. */
  constructor(transforms: C, p?: number | { p?: number });
  constructor(opts: { transforms: C; p?: number });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ transforms: Transform[]; p: number }>(RandomApplyDecl, args);
    this.transforms = checkChildren(this, o.transforms);
    this.p = o.p;
  }

  override sampleWithMeta(
    ctx: Context,
    meta: Meta,
    targets?: TargetState,
    move = false,
  ): [RandomApplyParams, Meta, TargetState | undefined] {
    const applied = ctx.rng.random() < this.p;
    if (!applied) return [{ applied, params: null }, meta, targets];
    const [params, m, t] = runParams(this.transforms, range(this.transforms.length), ctx, meta, targets, move);
    return [{ applied, params }, m, t];
  }

  override mapTargetsWithMeta(
    params: RandomApplyParams,
    meta: Meta,
    state: TargetState,
    semantics: Semantics = DEFAULT_SEMANTICS,
  ): [TargetState, Meta] {
    if (!this.checkParams(params)) return [state, meta];
    return runTargets(this.transforms, range(this.transforms.length), params.params!, meta, state, semantics);
  }

  ops(params: RandomApplyParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    if (!this.checkParams(params)) return [];
    return runOps(this.transforms, range(this.transforms.length), params.params!, meta, semantics);
  }

  /** Checks the params' shape (not the children's); whether the children ran. */
  private checkParams(params: RandomApplyParams): boolean {
    expectParams(isObject(params) && typeof params.applied === "boolean", this.type, "{ applied, params }", params);
    if (!params.applied) return false;
    const n = this.transforms.length;
    expectParams(Array.isArray(params.params) && params.params.length === n, this.type, `params with ${n} entries`, params.params);
    return true;
  }

  protected override config(): Record<string, Json> {
    return { transforms: this.childrenJSON(), p: this.p };
  }
}

/** Params of {@link RandomChoice}. */
export interface RandomChoiceParams {
  [k: string]: Json;
  choice: number;
  params: Json;
}

/** Applies one of its transforms, picked with weights p (uniform by default) (torchvision RandomChoice). */
export class RandomChoice<const C extends readonly Transform[] = Transform[]> extends Container<RandomChoiceParams> {
  readonly type = "RandomChoice";
  /** Type-only: the children's types, so that `apply` is typed by what they output (never set). */
  declare readonly "~children"?: C;
  readonly random = true;
  readonly transforms: readonly Transform[];
  readonly p: number[] | null;

  /** torchvision's `(transforms, p)`, or `(transforms, { p })`, or one `{ transforms, p }`. */
  constructor(transforms: C, p?: number[] | null | { p?: number[] | null });
  constructor(opts: { transforms: C; p?: number[] | null });
  constructor(...args: unknown[]) {
    super();
    const { transforms, p } = parseArgs<{ transforms: Transform[]; p: number[] | null }>(RandomChoiceDecl, args);
    this.transforms = checkChildren(this, transforms);
    if (this.transforms.length === 0) throw new RangeError("transforms must not be empty");
    if (p !== null && p !== undefined) {
      if (!Array.isArray(p) || p.length !== this.transforms.length)
        throw new RangeError(`p must have one weight per transform (${this.transforms.length}), got ${describe(p)}`);
      p.forEach((w, i) => {
        if (checkFinite(w, `p[${i}]`) < 0) throw new RangeError(`p[${i}] must be >= 0, got ${w}`);
      });
      if (p.reduce((a, b) => a + b, 0) <= 0) throw new RangeError("p must have a positive sum");
    }
    this.p = p ? [...p] : null;
  }

  override sampleWithMeta(
    ctx: Context,
    meta: Meta,
    targets?: TargetState,
    move = false,
  ): [RandomChoiceParams, Meta, TargetState | undefined] {
    const w = this.p ?? this.transforms.map(() => 1);
    const total = w.reduce((a, b) => a + b, 0);
    const u = ctx.rng.random() * total;
    let choice = 0;
    for (let acc = w[0]!; choice < w.length - 1 && u >= acc; acc += w[choice + 1]!, choice++);
    while (w[choice] === 0) choice--; // u landed on the end of a zero-weight run
    const [params, m, t] = this.transforms[choice]!.sampleWithMeta(ctx.child(choice), meta, targets, move);
    return [{ choice, params }, m, t];
  }

  override mapTargetsWithMeta(
    params: RandomChoiceParams,
    meta: Meta,
    state: TargetState,
    semantics: Semantics = DEFAULT_SEMANTICS,
  ): [TargetState, Meta] {
    this.checkParams(params);
    return this.transforms[params.choice]!.mapTargetsWithMeta(params.params, meta, state, semantics);
  }

  ops(params: RandomChoiceParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    this.checkParams(params);
    return this.transforms[params.choice]!.ops(params.params, meta, semantics);
  }

  /** Checks the params' shape (not the chosen child's). */
  private checkParams(params: RandomChoiceParams): void {
    const n = this.transforms.length;
    const ok = isObject(params) && isInt(params.choice) && params.choice >= 0 && params.choice < n;
    expectParams(ok, this.type, `{ choice in [0, ${n}), params }`, params);
  }

  protected override config(): Record<string, Json> {
    return { transforms: this.childrenJSON(), p: this.p };
  }
}

/** Params of {@link RandomOrder}. */
export interface RandomOrderParams {
  [k: string]: Json;
  order: number[];
  params: Json[];
}

/** Applies its transforms in a random order (torchvision RandomOrder); Fisher-Yates on the slot's stream. */
export class RandomOrder<const C extends readonly Transform[] = Transform[]> extends Container<RandomOrderParams> {
  readonly type = "RandomOrder";
  /** Type-only: the children's types, so that `apply` is typed by what they output (never set). */
  declare readonly "~children"?: C;
  readonly random = true;
  readonly transforms: readonly Transform[];

  /** torchvision's `(transforms)`, or one `{ transforms }`. */
  constructor(transforms: C);
  constructor(opts: { transforms: C });
  constructor(...args: unknown[]) {
    super();
    this.transforms = checkChildren(this, parseArgs<{ transforms: Transform[] }>(RandomOrderDecl, args).transforms);
  }

  override sampleWithMeta(
    ctx: Context,
    meta: Meta,
    targets?: TargetState,
    move = false,
  ): [RandomOrderParams, Meta, TargetState | undefined] {
    const order = range(this.transforms.length);
    for (let i = order.length - 1; i > 0; i--) {
      const j = ctx.rng.randint(0, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const [params, m, t] = runParams(this.transforms, order, ctx, meta, targets, move);
    return [{ order, params }, m, t];
  }

  override mapTargetsWithMeta(
    params: RandomOrderParams,
    meta: Meta,
    state: TargetState,
    semantics: Semantics = DEFAULT_SEMANTICS,
  ): [TargetState, Meta] {
    this.checkParams(params);
    return runTargets(this.transforms, params.order, params.params, meta, state, semantics);
  }

  ops(params: RandomOrderParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    this.checkParams(params);
    return runOps(this.transforms, params.order, params.params, meta, semantics);
  }

  /** Checks the params' shape (not the children's): cheap, so each level checks its own once. */
  private checkParams(params: RandomOrderParams): void {
    const n = this.transforms.length;
    const ok =
      isObject(params) &&
      Array.isArray(params.order) &&
      params.order.length === n &&
      [...params.order].sort((a, b) => a - b).every((v, i) => v === i) &&
      Array.isArray(params.params) &&
      params.params.length === n;
    expectParams(ok, this.type, `{ order: a permutation of 0..${n - 1}, params }`, params);
  }

  protected override config(): Record<string, Json> {
    return { transforms: this.childrenJSON() };
  }
}

// ---------------------------------------------------------------------------------------
// Declarations

const FAMILY = "containers";
/** Child transforms: instances in memory, transform objects in JSON (fromJSON builds them at their path). */
const children = K.kind({
  text: "transforms",
  schema: { type: "array", items: { $ref: "#/$defs/transform" } },
  check: (v, name) => void childList(v, name),
  wrongType: [null, {}, [1]],
  outOfRange: [],
});

const ComposeDecl = {
  name: "Compose",
  family: FAMILY,
  summary: "applies `transforms` one after the other; `semantics` picks the torchvision pipeline reproduced",
  positional: ["transforms"] as const,
  fields: {
    transforms: { kind: children, required: true },
    semantics: { kind: K.custom('"pil" or "tensor"', { enum: ["pil", "tensor"] }, (v, n) => checkSemantics(v, n), [1, true], ["numpy"]) },
  },
} satisfies Declaration;
const RandomApplyDecl = {
  name: "RandomApply",
  family: FAMILY,
  summary: "applies `transforms`, in order, with probability `p`",
  positional: ["transforms", "p"] as const,
  fields: { transforms: { kind: children, required: true }, p: { kind: K.prob, default: 0.5 } },
} satisfies Declaration;
const RandomChoiceDecl = {
  name: "RandomChoice",
  family: FAMILY,
  summary: "applies one of `transforms`, picked with weights `p` (uniform by default)",
  positional: ["transforms", "p"] as const,
  fields: {
    transforms: { kind: children, required: true },
    p: {
      kind: K.nullable(
        K.custom(
          "weights >= 0, one per transform",
          { type: "array", items: { type: "number", minimum: 0 } },
          (v, n) => {
            if (!Array.isArray(v)) throw new RangeError(`${n} must have one weight per transform, got ${describe(v)}`);
          },
          ["1", true, 1],
          [[-1]],
        ),
      ),
      default: null,
    },
  },
} satisfies Declaration;
const RandomOrderDecl = {
  name: "RandomOrder",
  family: FAMILY,
  summary: "applies `transforms` in a random order",
  positional: ["transforms"] as const,
  fields: { transforms: { kind: children, required: true } },
} satisfies Declaration;

define(
  Compose,
  ComposeDecl,
  (f, path) => new Compose(childTransforms(f.transforms, path), f.semantics === undefined ? {} : { semantics: f.semantics as Semantics }),
);
define(RandomApply, RandomApplyDecl, (f, path) => new RandomApply(childTransforms(f.transforms, path), (f.p ?? 0.5) as number));
define(
  RandomChoice,
  RandomChoiceDecl,
  (f, path) => new RandomChoice(childTransforms(f.transforms, path), (f.p ?? null) as number[] | null),
);
define(RandomOrder, RandomOrderDecl, (f, path) => new RandomOrder(childTransforms(f.transforms, path)));
