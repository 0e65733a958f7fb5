// Pipelines and inputs shared by tests, workers and child processes.
import { createHash } from "node:crypto";
import { Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, RandomCrop, RandomApply, RandomOrder, RandomChoice, RandomVerticalFlip, Pad, CenterCrop, Resize, type Image, type Tensor } from "../../src/index.js";

export const MEAN = [0.485, 0.456, 0.406];
export const STD = [0.229, 0.224, 0.225];

/** The classic ImageNet training recipe. */
export const train = (size = 224) =>
  new Compose([new RandomResizedCrop(size), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);

/** A pipeline touching every transform and container. */
export const everything = () =>
  new Compose([
    new RandomApply([new Pad(3, { paddingMode: "reflect" })], 0.5),
    new RandomOrder([new RandomHorizontalFlip(), new RandomVerticalFlip(0.3)]),
    new RandomChoice([new RandomCrop(40, { padIfNeeded: true, fill: [1, 2, 3] }), new CenterCrop([30, 50]), new RandomResizedCrop([33, 47], { interpolation: "bicubic" })]),
    new Resize(36, { interpolation: "nearest" }),
    new ToTensor(),
    new Normalize(MEAN, STD),
  ]);

/** A deterministic synthetic RGB image with structure in both directions. */
export function synthetic(width: number, height: number, channels: 1 | 3 | 4 = 3, salt = 0): Image {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761 + salt * 40503) >>> 24;
  return { width, height, channels, data };
}

/** SHA-256 (hex) of an image's or tensor's bytes. */
export function hashOf(x: Image | Tensor): string {
  const d = x.data;
  return createHash("sha256").update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest("hex");
}
