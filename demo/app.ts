// The demo page: pick a photo (or drop one), edit the pipeline, choose seed and epoch; a Web
// Worker computes the grid of augmented samples, and a button recomputes it on the main thread
// to show that every hash matches.
import { ready, fromImageData, toRGBA, type Image } from "../src/index.js";
import { computeCell, DEFAULT_PIPELINE, DETECTION_PIPELINE, parseSeed, pipelineOf, type Cell, type GridRequest } from "./grid.js";

const PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"];
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const photoSelect = $<HTMLSelectElement>("photo");
const fileInput = $<HTMLInputElement>("file");
const pipelineText = $<HTMLTextAreaElement>("pipeline");
const presetSelect = $<HTMLSelectElement>("preset");
const seedInput = $<HTMLInputElement>("seed");
const epochInput = $<HTMLInputElement>("epoch");
const countInput = $<HTMLInputElement>("count");
const runButton = $<HTMLButtonElement>("run");
const mainButton = $<HTMLButtonElement>("main");
const status = $<HTMLParagraphElement>("status");
const grid = $<HTMLDivElement>("grid");
const preview = $<HTMLCanvasElement>("preview");
const source = $<HTMLSpanElement>("source");
const backend = new URLSearchParams(location.search).get("backend") ?? "wasm";

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let nextId = 1;
let current = 0;
let image: Image | undefined;
let lastRequest: GridRequest | undefined;
const cells = new Map<number, Cell>();
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

function setStatus(text: string, state: "busy" | "ready" | "error" | "verified") {
  status.textContent = text;
  status.dataset.state = state;
}

worker.onmessage = (e: MessageEvent) => {
  const m = e.data as { id: number; image?: Image; cell?: Cell; done?: boolean; error?: string };
  const p = pending.get(m.id);
  if (p) {
    pending.delete(m.id);
    if (m.error) p.reject(new Error(m.error));
    else p.resolve(m.image);
    return;
  }
  if (m.id !== current) return; // a newer grid replaced this one
  if (m.error) return setStatus(`error: ${m.error}`, "error");
  if (m.cell) {
    cells.set(m.cell.index, m.cell);
    grid.append(renderCell(m.cell));
    setStatus(`Web Worker: ${cells.size} / ${lastRequest?.count} samples…`, "busy");
  }
  if (m.done) {
    setStatus(`${cells.size} samples computed in a Web Worker (backend ${backend}). Recompute them on the main thread to compare.`, "ready");
    mainButton.disabled = false;
  }
};
worker.onerror = (e) => setStatus(`the Web Worker failed: ${e.message}`, "error");

function decodeInWorker(bytes: ArrayBuffer): Promise<Image> {
  const id = nextId++;
  return new Promise<Image>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker.postMessage({ id, kind: "decode", bytes }, [bytes]);
  });
}

/** The browser's own decoder, for formats lockstep/io does not read (its pixels are the browser's). */
async function decodeInBrowser(blob: Blob): Promise<Image> {
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(bitmap, 0, 0);
  return fromImageData(ctx.getImageData(0, 0, bitmap.width, bitmap.height));
}

function draw(canvas: HTMLCanvasElement, width: number, height: number, rgba: Uint8ClampedArray) {
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d")!.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
}

async function useImage(bytes: ArrayBuffer, name: string, blob?: Blob) {
  setStatus(`decoding ${name}…`, "busy");
  try {
    image = await decodeInWorker(bytes.slice(0));
  } catch (e) {
    if (!blob) throw e;
    image = await decodeInBrowser(blob); // e.g. WebP or GIF
    name += " (decoded by the browser)";
  }
  source.textContent = `${name}: ${image.width}x${image.height}, ${image.channels} channel${image.channels > 1 ? "s" : ""}`;
  draw(preview, image.width, image.height, toRGBA(image));
  runGrid();
}

async function loadPhoto(file: string) {
  const response = await fetch(`./samples/${file}`);
  await useImage(await response.arrayBuffer(), file);
}

function request(): GridRequest | null {
  if (!image) return null;
  try {
    JSON.parse(pipelineText.value);
    parseSeed(seedInput.value);
  } catch (e) {
    setStatus(`error: ${(e as Error).message}`, "error");
    return null;
  }
  const count = Math.max(1, Math.min(64, Number(countInput.value) || 8));
  return { image, pipeline: pipelineText.value, seed: seedInput.value.trim(), epoch: Math.max(0, Math.floor(Number(epochInput.value) || 0)), count, backend, targets: presetSelect.value === "detection" };
}

function runGrid() {
  const req = request();
  if (!req) return;
  lastRequest = req;
  current = nextId++;
  cells.clear();
  grid.replaceChildren();
  mainButton.disabled = true;
  setStatus(`Web Worker: computing ${req.count} samples…`, "busy");
  worker.postMessage({ id: current, kind: "grid", ...req, image: { ...req.image, data: req.image.data.slice() } });
}

/** Draws the targets over a cell: the mask blended in, boxes as outlines with their label, key points as dots. */
function drawTargets(canvas: HTMLCanvasElement, cell: Cell) {
  const ctx = canvas.getContext("2d")!;
  if (cell.overlay) {
    const layer = new OffscreenCanvas(cell.width, cell.height);
    layer.getContext("2d")!.putImageData(new ImageData(new Uint8ClampedArray(cell.overlay), cell.width, cell.height), 0, 0);
    ctx.drawImage(layer, 0, 0);
  }
  ctx.lineWidth = Math.max(1, cell.width / 200);
  ctx.font = `${Math.max(10, Math.round(cell.width / 25))}px sans-serif`;
  cell.boxes?.forEach(([x1, y1, x2, y2], i) => {
    ctx.strokeStyle = ctx.fillStyle = cell.labels?.[i] === 2 ? "#3aa0ff" : "#ff4040";
    ctx.strokeRect(x1!, y1!, x2! - x1!, y2! - y1!);
    ctx.fillText(String(cell.labels?.[i] ?? ""), x1! + 2, y1! + 12);
  });
  ctx.fillStyle = "#ffe000";
  const r = Math.max(2, cell.width / 100);
  for (const [x, y] of cell.points ?? []) ctx.fillRect(x! - r, y! - r, 2 * r, 2 * r);
}

function renderCell(cell: Cell): HTMLElement {
  const figure = document.createElement("figure");
  figure.className = "cell";
  figure.dataset.index = String(cell.index);
  figure.dataset.sha256 = cell.sha256;
  figure.dataset.params = JSON.stringify(cell.params);
  if (cell.targetsSha256) {
    figure.dataset.targetsSha256 = cell.targetsSha256;
    figure.dataset.boxes = JSON.stringify(cell.boxes);
  }
  const canvas = document.createElement("canvas");
  draw(canvas, cell.width, cell.height, cell.rgba);
  drawTargets(canvas, cell);
  const caption = document.createElement("figcaption");
  const head = document.createElement("div");
  head.className = "head";
  head.innerHTML = `<b>#${cell.index}</b> <span class="out"></span>`;
  (head.querySelector(".out") as HTMLElement).textContent = cell.out;
  const match = document.createElement("span");
  match.className = "match";
  const hash = document.createElement("code");
  hash.className = "hash";
  hash.textContent = cell.sha256;
  const params = document.createElement("code");
  params.className = "params";
  params.textContent = JSON.stringify(cell.params);
  caption.append(head, match, hash, params);
  figure.append(canvas, caption);
  return figure;
}

async function recomputeOnMain() {
  const req = lastRequest;
  if (!req || cells.size !== req.count) return;
  mainButton.disabled = true;
  setStatus("main thread: loading the kernel and recomputing…", "busy");
  try {
    await ready();
    const t = pipelineOf(req);
    let same = 0;
    for (let index = 0; index < req.count; index++) {
      const cell = await computeCell(t, req, index);
      const figure = grid.querySelector<HTMLElement>(`figure[data-index="${index}"]`)!;
      const ok = cell.sha256 === cells.get(index)?.sha256 && cell.targetsSha256 === cells.get(index)?.targetsSha256 && JSON.stringify(cell.params) === JSON.stringify(cells.get(index)?.params);
      figure.dataset.mainSha256 = cell.sha256;
      figure.dataset.match = String(ok);
      (figure.querySelector(".match") as HTMLElement).textContent = ok ? "✓ same hash on the main thread" : "✗ the main thread differs";
      if (ok) same++;
    }
    const all = same === req.count;
    setStatus(all ? `main thread: all ${same} of ${req.count} hashes match the Web Worker's` : `main thread: only ${same} of ${req.count} hashes match the Web Worker's`, all ? "verified" : "error");
  } catch (e) {
    setStatus(`error on the main thread: ${(e as Error).message}`, "error");
  } finally {
    mainButton.disabled = false;
  }
}

for (const p of PHOTOS) photoSelect.add(new Option(p, p));
pipelineText.value = JSON.stringify(DEFAULT_PIPELINE, null, 2);
presetSelect.onchange = () => {
  pipelineText.value = JSON.stringify(presetSelect.value === "detection" ? DETECTION_PIPELINE : DEFAULT_PIPELINE, null, 2);
  runGrid();
};
photoSelect.onchange = () => void loadPhoto(photoSelect.value).catch((e) => setStatus(`error: ${e.message}`, "error"));
fileInput.onchange = async () => {
  const f = fileInput.files?.[0];
  if (f) await useImage(await f.arrayBuffer(), f.name, f).catch((e) => setStatus(`error: ${e.message}`, "error"));
};
document.addEventListener("dragover", (e) => {
  e.preventDefault();
  document.body.classList.add("dragging");
});
document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
document.addEventListener("drop", async (e) => {
  e.preventDefault();
  document.body.classList.remove("dragging");
  const f = e.dataTransfer?.files[0];
  if (f) await useImage(await f.arrayBuffer(), f.name, f).catch((err) => setStatus(`error: ${err.message}`, "error"));
});
runButton.onclick = runGrid;
mainButton.onclick = () => void recomputeOnMain();
for (const el of [seedInput, epochInput, countInput]) el.onchange = runGrid;

void loadPhoto(PHOTOS[0]!).catch((e) => setStatus(`error: ${e.message}`, "error"));
