// The page: asks the worker for augmented samples and draws them with their hashes.
const RECIPE = {
  type: "Compose",
  transforms: [
    { type: "RandomResizedCrop", size: 224 },
    { type: "RandomHorizontalFlip" },
    { type: "ColorJitter", brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  ],
};

const grid = document.querySelector("#grid");
const status = document.querySelector("#status");
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const results = [];

worker.onmessage = ({ data }) => {
  if (data.error) {
    status.textContent = `error: ${data.error}`;
    document.body.dataset.error = data.error;
    return;
  }
  if (data.done) {
    status.textContent = `${results.length} samples computed in a Web Worker`;
    document.body.dataset.results = JSON.stringify(results);
    return;
  }
  const { index, params, sha256, width, height, rgba } = data;
  results.push({ index, params, sha256 });
  const figure = document.createElement("figure");
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer), width, height), 0, 0);
  const caption = document.createElement("figcaption");
  caption.textContent = `#${index} ${sha256.slice(0, 16)}`;
  figure.append(canvas, caption);
  grid.append(figure);
};
worker.onerror = (e) => (status.textContent = `worker failed: ${e.message}`);
worker.postMessage({ photo: new URL("./chelsea.png", location.href).href, pipeline: RECIPE, seed: 42, epoch: 0, count: 4 });
