// Transforms of transforms: Compose, RandomApply, RandomChoice, RandomOrder. Child i draws
// from slot i of its parent, so adding a child never changes the draws of the others.
import { describe, type Meta } from "../image.js";
import { checkFinite } from "../functional/args.js";
import { Context, Transform, type Json } from "./base.js";
import type { Op } from "./ops.js";
import { checkSemantics, DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";
import { expectParams, isInt, isObject, checkProbability } from "./params.js";
import { childTransforms, register } from "./schema.js";
import type { TargetState } from "../targets/sample.js";

function checkChildren(transforms: unknown, name = "transforms"): Transform[] {
  if (!Array.isArray(transforms) || !transforms.every((t) => t instanceof Transform)) {
    throw new TypeError(`${name} must be an array of transforms, got ${describe(transforms)}`);
  }
  return [...transforms];
}


/** Params of a run of children in `order`, meta (and targets, when a child reads them) flowing from one to the next. */
function runParams(children: Transform[], order: number[], ctx: Context, meta: Meta, semantics: Semantics, targets?: TargetState): Json[] {
  const params: Json[] = new Array<Json>(children.length).fill(null);
  let m = meta;
  let t = targets;
  for (const [k, i] of order.entries()) {
    params[i] = children[i]!.makeParams(ctx.child(i), m, t);
    if (t && order.slice(k + 1).some((j) => children[j]!.needsTargets)) t = children[i]!.mapTargets(params[i]!, m, t, semantics);
    m = children[i]!.outputMeta(m, params[i]!, semantics);
  }
  return params;
}

/** The targets after a run of children in `order` (sizes flow as the image's do under `semantics`). */
function runTargets(children: Transform[], order: number[], params: Json[], meta: Meta, state: TargetState, semantics: Semantics): TargetState {
  let m = meta;
  let t = state;
  for (const i of order) {
    t = children[i]!.mapTargets(params[i]!, m, t, semantics);
    m = children[i]!.outputMeta(m, params[i]!, semantics);
  }
  return t;
}

const needs = (children: Transform[]): boolean => children.some((c) => c.needsTargets);

function runOps(children: Transform[], order: number[], params: Json[], meta: Meta, semantics: Semantics): Op[] {
  const ops: Op[] = [];
  let m = meta;
  for (const i of order) {
    const own = children[i]!.ops(params[i]!, m, semantics);
    ops.push(...own);
    m = children[i]!.outputMeta(m, params[i]!, semantics);
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
  readonly transforms: Transform[];
  readonly random: boolean;
  /** The semantics given to the constructor, or null to take the parent's ("pil" at the root). */
  readonly ownSemantics: Semantics | null;

  constructor(transforms: Transform[], opts: ComposeOptions = {}) {
    super();
    this.transforms = checkChildren(transforms);
    this.random = this.transforms.some((t) => t.random);
    if (typeof opts !== "object" || opts === null) throw new TypeError(`Compose options must be an object { semantics }, got ${describe(opts)}`);
    for (const k of Object.keys(opts)) if (k !== "semantics") throw new RangeError(`unknown Compose option ${JSON.stringify(k)} (allowed: semantics)`);
    this.ownSemantics = opts.semantics === undefined ? null : checkSemantics(opts.semantics);
  }

  override get semantics(): Semantics {
    return this.ownSemantics ?? DEFAULT_SEMANTICS;
  }

  makeParams(ctx: Context, meta: Meta, targets?: TargetState): Json[] {
    const c = this.ownSemantics ? ctx.withSemantics(this.ownSemantics) : ctx;
    return runParams(this.transforms, range(this.transforms.length), c, meta, c.semantics, targets);
  }

  ops(params: Json[], meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    expectParams(Array.isArray(params) && params.length === this.transforms.length, this.type, `an array of ${this.transforms.length} child params`, params);
    return runOps(this.transforms, range(this.transforms.length), params, meta, this.ownSemantics ?? semantics);
  }

  override get needsTargets(): boolean {
    return needs(this.transforms);
  }

  override mapTargets(params: Json[], meta: Meta, state: TargetState, semantics: Semantics = DEFAULT_SEMANTICS): TargetState {
    expectParams(Array.isArray(params) && params.length === this.transforms.length, this.type, `an array of ${this.transforms.length} child params`, params);
    return runTargets(this.transforms, range(this.transforms.length), params, meta, state, this.ownSemantics ?? semantics);
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
  readonly transforms: Transform[];
  readonly p: number;

  constructor(transforms: Transform[], p = 0.5) {
    super();
    this.transforms = checkChildren(transforms);
    this.p = checkProbability(p);
  }

  makeParams(ctx: Context, meta: Meta, targets?: TargetState): RandomApplyParams {
    const applied = ctx.rng.random() < this.p;
    return { applied, params: applied ? runParams(this.transforms, range(this.transforms.length), ctx, meta, ctx.semantics, targets) : null };
  }

  override get needsTargets(): boolean {
    return needs(this.transforms);
  }

  override mapTargets(params: RandomApplyParams, meta: Meta, state: TargetState, semantics: Semantics = DEFAULT_SEMANTICS): TargetState {
    expectParams(isObject(params) && typeof params.applied === "boolean", this.type, "{ applied, params }", params);
    if (!params.applied) return state;
    expectParams(Array.isArray(params.params) && params.params.length === this.transforms.length, this.type, `params with ${this.transforms.length} entries`, params.params);
    return runTargets(this.transforms, range(this.transforms.length), params.params!, meta, state, semantics);
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
  readonly transforms: Transform[];
  readonly p: number[] | null;

  constructor(transforms: Transform[], p: number[] | null = null) {
    super();
    this.transforms = checkChildren(transforms);
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

  makeParams(ctx: Context, meta: Meta, targets?: TargetState): RandomChoiceParams {
    const w = this.p ?? this.transforms.map(() => 1);
    const total = w.reduce((a, b) => a + b, 0);
    const u = ctx.rng.random() * total;
    let choice = 0;
    for (let acc = w[0]!; choice < w.length - 1 && u >= acc; acc += w[choice + 1]!, choice++);
    while (w[choice] === 0) choice--; // u landed on the end of a zero-weight run
    return { choice, params: this.transforms[choice]!.makeParams(ctx.child(choice), meta, targets) };
  }

  override get needsTargets(): boolean {
    return needs(this.transforms);
  }

  override mapTargets(params: RandomChoiceParams, meta: Meta, state: TargetState, semantics: Semantics = DEFAULT_SEMANTICS): TargetState {
    expectParams(isObject(params) && isInt(params.choice) && params.choice >= 0 && params.choice < this.transforms.length, this.type, `{ choice in [0, ${this.transforms.length}), params }`, params);
    return this.transforms[params.choice]!.mapTargets(params.params, meta, state, semantics);
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
  readonly transforms: Transform[];

  constructor(transforms: Transform[]) {
    super();
    this.transforms = checkChildren(transforms);
  }

  makeParams(ctx: Context, meta: Meta, targets?: TargetState): RandomOrderParams {
    const order = range(this.transforms.length);
    for (let i = order.length - 1; i > 0; i--) {
      const j = ctx.rng.randint(0, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return { order, params: runParams(this.transforms, order, ctx, meta, ctx.semantics, targets) };
  }

  override get needsTargets(): boolean {
    return needs(this.transforms);
  }

  override mapTargets(params: RandomOrderParams, meta: Meta, state: TargetState, semantics: Semantics = DEFAULT_SEMANTICS): TargetState {
    this.ops(params, meta); // validates the params
    return runTargets(this.transforms, params.order, params.params, meta, state, semantics);
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
