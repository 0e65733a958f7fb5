// What a pipeline returns, worked out by the type checker: `apply` on a Compose ending in
// ToTensor/Normalize is a Tensor, an image pipeline an Image, a sample keeps its structure.
// Types only, except OUTPUT_KINDS, the table they read (a test checks it covers every transform).
import type { Image, Tensor } from "../image.js";
import type { Target } from "../targets/types.js";

/**
 * How a transform changes its input's kind: "same" keeps it (an Image stays an Image, a Tensor a
 * Tensor), "tensor" / "image" make one, "unknown" depends on its options or a user function.
 */
export type OutputKind = "same" | "tensor" | "image" | "unknown";

/**
 * Each built-in transform's {@link OutputKind}. Transforms not listed (user subclasses) count as
 * "unknown", so their output is typed `Image | Tensor` as before. ToPureTensor keeps the image
 * and turns the targets into plain `{ shape, data }` tensors.
 */
export const OUTPUT_KINDS = {
  AugMix: "same",
  AutoAugment: "same",
  CenterCrop: "same",
  ClampBoundingBoxes: "same",
  ClampKeyPoints: "same",
  ColorJitter: "same",
  ConvertBoundingBoxFormat: "same",
  ElasticTransform: "same",
  FiveCrop: "tensor",
  GaussianBlur: "same",
  GaussianNoise: "same",
  Grayscale: "same",
  Identity: "same",
  JPEG: "same",
  Lambda: "unknown",
  LinearTransformation: "tensor",
  Normalize: "tensor",
  Pad: "same",
  RGB: "same",
  RandAugment: "same",
  RandomAdjustSharpness: "same",
  RandomAffine: "same",
  RandomAutocontrast: "same",
  RandomChannelPermutation: "same",
  RandomCrop: "same",
  RandomEqualize: "same",
  RandomErasing: "same",
  RandomGrayscale: "same",
  RandomHorizontalFlip: "same",
  RandomInvert: "same",
  RandomIoUCrop: "same",
  RandomPerspective: "same",
  RandomPhotometricDistort: "same",
  RandomPosterize: "same",
  RandomResize: "same",
  RandomResizedCrop: "same",
  RandomRotation: "same",
  RandomShortestSize: "same",
  RandomSolarize: "same",
  RandomVerticalFlip: "same",
  RandomZoomOut: "same",
  Resize: "same",
  SanitizeBoundingBoxes: "same",
  SanitizeKeyPoints: "same",
  ScaleJitter: "same",
  TenCrop: "tensor",
  ToDtype: "unknown",
  ToImage: "same",
  ToPureTensor: "same",
  ToTensor: "tensor",
  TrivialAugmentWide: "same",
  // Containers: their kind comes from their children (see KindOf).
  Compose: "unknown",
  RandomApply: "unknown",
  RandomChoice: "unknown",
  RandomOrder: "unknown",
} as const satisfies Record<string, OutputKind>;

/** What a transform (or a run of them) does to a sample: the image's kind, and whether targets became plain tensors. */
interface Effect {
  kind: OutputKind;
  pure: boolean;
}
type E<K extends OutputKind, P extends boolean = false> = { kind: K; pure: P };

/** `a` then `b`. */
type Then<A extends Effect, B extends Effect> = E<
  B["kind"] extends "same" ? A["kind"] : B["kind"],
  A["pure"] extends true ? true : B["pure"]
>;

/** The effect of children run one after the other. */
type Fold<C extends readonly unknown[], Acc extends Effect = E<"same">> = C extends readonly [infer H, ...infer R]
  ? Fold<R, Then<Acc, EffectOf<H>>>
  : number extends C["length"]
    ? E<"unknown">
    : Acc;

/** Either of two effects (a random choice): the same only when they agree. */
type Either<A extends Effect, B extends Effect> = E<
  A["kind"] extends B["kind"] ? (B["kind"] extends A["kind"] ? A["kind"] : "unknown") : "unknown",
  A["pure"] extends B["pure"] ? A["pure"] : boolean
>;
type EitherAll<C extends readonly unknown[]> = C extends readonly [infer H, ...infer R]
  ? R extends readonly []
    ? EffectOf<H>
    : Either<EffectOf<H>, EitherAll<R>>
  : E<"unknown">;

type Container = "Compose" | "RandomApply" | "RandomChoice" | "RandomOrder";

/** A container's effect from its children's types. */
type ContainerEffect<N extends Container, C extends readonly unknown[]> = N extends "Compose"
  ? Fold<C>
  : N extends "RandomApply"
    ? Either<E<"same">, Fold<C>>
    : N extends "RandomChoice"
      ? EitherAll<C>
      : Fold<C> extends E<"same">
        ? E<"same">
        : E<"unknown", Fold<C>["pure"]>;

/**
 * The {@link Effect} of a transform type: a built-in's from {@link OUTPUT_KINDS}, a container's
 * from its children (Compose, RandomApply, RandomChoice and RandomOrder carry their children's
 * types in the type-only field `~children`), anything else "unknown".
 */
export type EffectOf<T> = T extends { readonly type: infer N; readonly "~children"?: infer C }
  ? N extends Container
    ? NonNullable<C> extends infer L extends readonly unknown[]
      ? ContainerEffect<N, L>
      : E<"unknown">
    : N extends keyof typeof OUTPUT_KINDS
      ? E<(typeof OUTPUT_KINDS)[N], N extends "ToPureTensor" ? true : false>
      : E<"unknown">
  : E<"unknown">;

/** The kind of image a transform type outputs for an input of type `X` (Image or Tensor). */
type ImageOut<K extends OutputKind, X> = K extends "same" ? X : K extends "tensor" ? Tensor : K extends "image" ? Image : Image | Tensor;

/** A target after ToPureTensor: its shape and data, no longer a target. */
export type PureTarget<T extends Target> = { shape: number[]; data: T["data"] };

type Leaf = string | number | boolean | bigint | symbol | null | undefined | ArrayBufferView | ((...args: never[]) => unknown);

/** Maps a sample's structure: its image by the effect's kind, its targets (when pure) to plain tensors, other values untouched. */
type MapSample<X, F extends Effect> = X extends Image | Tensor
  ? ImageOut<F["kind"], X>
  : X extends Target
    ? F["pure"] extends false
      ? X
      : F["pure"] extends true
        ? PureTarget<X>
        : X | PureTarget<X>
    : X extends Leaf
      ? X
      : X extends readonly unknown[]
        ? { -readonly [K in keyof X]: MapSample<X[K], F> }
        : X extends object
          ? { [K in keyof X]: MapSample<X[K], F> }
          : X;

/**
 * What `transform.apply(input)` returns: for an Image or Tensor, the kind the transform makes
 * (a Tensor after ToTensor/Normalize, the input's kind for kind-keeping transforms, `Image | Tensor`
 * when it cannot be known); for a sample, the same structure with its image (and targets) transformed.
 */
export type SampleOutput<I, T = unknown> = MapSample<I, EffectOf<T>>;

/** What a transform returns for an Image: a Tensor, an Image, or `Image | Tensor` when unknown. */
export type OutputOf<T, X extends Image | Tensor = Image> = ImageOut<EffectOf<T>["kind"], X>;
