// The end-to-end parity recipes: ImageNet training pipelines (RandomResizedCrop 224,
// RandomHorizontalFlip, ColorJitter or RandAugment, ToTensor, Normalize) under each
// semantics, the photos they run on and the (seed, index) keys. Shared by the records
// generator (make_e2e_records.ts) and the test (tests/e2e.test.ts).
import { Compose, RandomResizedCrop, RandomHorizontalFlip, ColorJitter, RandAugment, ToTensor, Normalize, type Transform } from "../../src/index.js";

export const MEAN = [0.485, 0.456, 0.406];
export const STD = [0.229, 0.224, 0.225];

export type Semantics = "pil" | "tensor";
export type Recipe = "colorjitter" | "randaugment";

/** The augmentation stage of a recipe (everything before ToTensor). */
export function augment(recipe: Recipe, semantics: Semantics): Compose {
  const middle: Transform = recipe === "colorjitter" ? new ColorJitter(0.4, 0.4, 0.4, 0.1) : new RandAugment();
  return new Compose([new RandomResizedCrop(224), new RandomHorizontalFlip(), middle], { semantics });
}

/** The whole recipe: the augmentation stage, ToTensor (v2: ToDtype(float32, scale=True)) and Normalize. */
export function recipe(recipe: Recipe, semantics: Semantics): Compose {
  return new Compose([...augment(recipe, semantics).transforms, new ToTensor(), new Normalize(MEAN, STD)], { semantics });
}

/** PNG photos only: their decoding is lossless, so lockstep and Pillow see the same pixels. */
export const PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png"];

/** (photo, seed, index) of each sample. */
export const KEYS: [string, number, number][] = [
  ["astronaut.png", 7, 0],
  ["astronaut.png", 7, 1],
  ["chelsea.png", 7, 2],
  ["chelsea.png", 11, 3],
  ["coffee.png", 11, 4],
  ["coffee.png", 2024, 5],
  ["astronaut.png", 2024, 6],
  ["chelsea.png", 99, 7],
];
