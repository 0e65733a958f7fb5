import { checkInt, checkSize } from "./args.js";
import { MAX_SIDE } from "../image.js";

/**
 * torchvision's _compute_resized_output_size: [h, w] for resizing height x width to
 * `size` (a number or [s] = the shorter side; [h, w] = exactly), capped by `maxSize`.
 */
export function resizedSize(height: number, width: number, size: unknown, maxSize?: number): [number, number] {
  const s = checkSize(size);
  if (s.length === 2) {
    if (maxSize !== undefined)
      throw new RangeError(`maxSize is only allowed when size is a single number (the shorter side), got size [${s.join(", ")}]`);
    return s;
  }
  const shortIsWidth = width <= height;
  const short = shortIsWidth ? width : height;
  const long = shortIsWidth ? height : width;
  let newShort = s[0];
  let newLong = Math.trunc((newShort * long) / short);
  if (maxSize !== undefined) {
    checkInt(maxSize, "maxSize", 1, MAX_SIDE);
    if (maxSize <= newShort) throw new RangeError(`maxSize must be larger than the requested size ${newShort}, got ${maxSize}`);
    if (newLong > maxSize) {
      newShort = Math.trunc((maxSize * newShort) / newLong);
      newLong = maxSize;
    }
  }
  if (newLong > MAX_SIDE)
    throw new RangeError(`resizing ${width}x${height} to shorter side ${newShort} gives a longer side of ${newLong}, over ${MAX_SIDE}`);
  if (newShort < 1) throw new RangeError(`resizing ${width}x${height} with maxSize ${maxSize} gives an empty side`);
  return shortIsWidth ? [newLong, newShort] : [newShort, newLong];
}
