"""lockstep for PyTorch: a Dataset wrapper, a sampler with the JavaScript Loader's keyed
permutation, and a DataLoader that resumes mid-epoch (the Python side of src/data/loader.ts).

Every sample is pipeline(image, seed=seed, epoch=epoch, index=dataset_index): a pure function of
its key, computed by the wasm kernel. The sampler hands each worker (index, epoch) keys, so
torch.utils.data.DataLoader(..., num_workers=N) gives the same batches for every N, with no global
seeding and no worker_init_fn (each worker process loads its own kernel on first use), and rank r
of world_size gets the JavaScript Loader's shard r.

    ds = lockstep.torch.Dataset(images, pipeline, seed=42, labels=labels)
    loader = lockstep.torch.DataLoader(ds, batch_size=64, shuffle=True, num_workers=2)
    for epoch in range(10):
        for x, y in loader: ...            # x: float32 NCHW, the JavaScript Loader's batch bytes
    state = loader.state_dict()            # mid-epoch too; DataLoader(...).load_state_dict(state) resumes
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator, List, NamedTuple, Optional, Sequence

import numpy as np
import torch
import torch.utils.data as tud

from . import _js
from .convert import to_sample
from .data.permutation import check_length
from .data.sampler import DistributedSampler
from .errors import BatchTimeoutError, RangeError
from .image import describe
from .io import decode
from .random.keys import check_count, check_seed
from .transforms.base import Transform
from .transforms.container import Compose


class SampleKey(NamedTuple):
    """What the sampler yields and the dataset takes: the dataset index and the epoch it is drawn for."""

    index: int
    epoch: int


def _dist_default(rank: Optional[int], world_size: Optional[int]):
    if rank is not None and world_size is not None:
        return rank, world_size
    d = torch.distributed
    if d.is_available() and d.is_initialized():
        return (d.get_rank() if rank is None else rank), (d.get_world_size() if world_size is None else world_size)
    return (0 if rank is None else rank), (1 if world_size is None else world_size)


class KeyedSampler(tud.Sampler):
    """The JavaScript Loader's order: rank's share of the keyed permutation of (seed, epoch)
    (or dataset order without shuffle), as SampleKey(index, epoch) items.

    rank and world_size default to torch.distributed's when it is initialized. uneven="pad"
    (torch's DistributedSampler drop_last=False) or "drop". set_epoch(e) picks the epoch;
    state_dict() / load_state_dict() hold where the next iteration starts (epoch, position)."""

    def __init__(self, length: Any, *, seed: Any = None, shuffle: bool = True, rank: Optional[int] = None, world_size: Optional[int] = None,
                 uneven: str = "pad", epoch: int = 0) -> None:
        n = len(length) if hasattr(length, "__len__") else length
        self.n = check_length(n, "length")
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be a boolean, got {describe(shuffle)}")
        self.shuffle = shuffle
        if seed is None and shuffle:
            raise TypeError("the sampler needs a seed when shuffling: KeyedSampler(n, seed=42)")
        self.seed = 0 if seed is None else check_seed(seed)
        self.rank, self.world_size = _dist_default(rank, world_size)
        self.uneven = uneven
        self.epoch = check_count(epoch, "epoch")
        self.start = 0
        self._shard(self.epoch)  # validates rank, world_size and uneven now

    def _shard(self, epoch: int) -> DistributedSampler:
        return DistributedSampler(self.n, rank=self.rank, world_size=self.world_size, shuffle=self.shuffle, seed=self.seed, epoch=epoch, uneven=self.uneven)

    def __len__(self) -> int:
        return self.n // self.world_size if self.uneven == "drop" else -(-self.n // self.world_size)

    def set_epoch(self, epoch: int) -> None:
        """The epoch of the next iteration (from its start)."""
        self.epoch = check_count(epoch, "epoch")
        self.start = 0

    def __iter__(self) -> Iterator[SampleKey]:
        epoch, start = self.epoch, self.start
        self.start = 0
        shard = self._shard(epoch)
        for p in range(start, shard.length):
            yield SampleKey(shard.at(p), epoch)

    def state_dict(self) -> dict:
        return {"epoch": self.epoch, "position": self.start}

    def load_state_dict(self, state: dict) -> None:
        self.epoch = check_count(state["epoch"], "state.epoch")
        position = check_count(state["position"], "state.position")
        if position > len(self):
            raise RangeError(f"state.position must be at most {len(self)}, got {position}")
        self.start = position


def _load_file(path: str, mode: str) -> np.ndarray:
    # The kernel's decoder: the JavaScript FileDataset's bytes (and Pillow's), in every worker.
    with open(path, "rb") as f:
        return decode(f.read(), mode)


class Dataset(tud.Dataset):
    """A map-style dataset through a lockstep pipeline: item i is pipeline(items[i], seed, epoch, index=i).

    items: a sequence (or map-style dataset) of images (numpy uint8 HWC, PIL, torch uint8 CHW), of
    file paths (decoded by the kernel as `mode` says: "RGB" by default, like ImageFolder and the
    JavaScript FileDataset), or of (image, label) pairs. labels: one per item
    (otherwise taken from the pairs, else none). Indexed with the sampler's SampleKey (its epoch), or
    with an int (the dataset's own epoch, set_epoch). Returns (tensor, label), or the tensor alone
    without labels; tensors share the kernel output's memory (images as CHW uint8 views)."""

    def __init__(self, items: Sequence[Any], pipeline: Optional[Transform] = None, seed: Any = None, *, labels: Optional[Sequence[Any]] = None,
                 epoch: int = 0, mode: str = "RGB") -> None:
        if mode not in ("RGB", "RGBA", "L", "keep"):
            raise TypeError(f'mode must be "RGB", "RGBA", "L" or "keep", got {describe(mode)}')
        self.mode = mode
        if not hasattr(items, "__getitem__") or not hasattr(items, "__len__"):
            raise TypeError(f"items must be a sequence or a map-style dataset, got {describe(items)}")
        self.items = items
        if pipeline is not None and not isinstance(pipeline, Transform):
            raise TypeError(f"pipeline must be a lockstep transform (e.g. a Compose), got {describe(pipeline)}")
        self.pipeline = pipeline if pipeline is not None else Compose([])
        if seed is None and self.pipeline.random:
            raise TypeError(f"the dataset needs a seed: the pipeline ({self.pipeline.type}) draws random parameters; pass seed=")
        self.seed = 0 if seed is None else check_seed(seed)
        if labels is not None and len(labels) != len(items):
            raise TypeError(f"labels must have one label per item ({len(items)}), got {len(labels)}")
        self.labels = labels
        self.epoch = check_count(epoch, "epoch")

    def __len__(self) -> int:
        return len(self.items)

    def set_epoch(self, epoch: int) -> None:
        """The epoch used when indexed with a plain int."""
        self.epoch = check_count(epoch, "epoch")

    def _key(self, key: Any):
        if isinstance(key, tuple) and len(key) == 2:
            index, epoch = key
        else:
            index, epoch = key, self.epoch
        if isinstance(index, torch.Tensor):
            index = int(index)
        if not _js.is_integer(index) or not 0 <= index < len(self.items):
            raise IndexError(f"index must be an integer in [0, {len(self.items)}), got {describe(index)}")
        return int(index), check_count(epoch, "epoch")

    def _read(self, index: int):
        item = self.items[index]
        label = self.labels[index] if self.labels is not None else None
        if isinstance(item, tuple) and len(item) == 2 and self.labels is None:
            item, label = item
        if isinstance(item, (str, os.PathLike)):
            try:
                item = _load_file(os.fspath(item), self.mode)
            except Exception as e:
                raise RangeError(f"lockstep dataset: sample {index} ({os.fspath(item)}) failed to decode: {e}") from e
        return item, label

    def _source(self, index: int) -> Optional[str]:
        """The file an item comes from, for messages (None for in-memory images)."""
        item = self.items[index]
        if isinstance(item, tuple) and len(item) == 2 and self.labels is None:
            item = item[0]
        return os.fspath(item) if isinstance(item, (str, os.PathLike)) else None

    def _output(self, y: np.ndarray) -> torch.Tensor:
        t = torch.from_numpy(y)
        return t.permute(2, 0, 1) if y.dtype == np.uint8 else t

    def __getitem__(self, key: Any):
        index, epoch = self._key(key)
        item, label = self._read(index)
        try:
            y = self.pipeline.apply(item, seed=self.seed, epoch=epoch, index=index, output="numpy")
        except Exception as e:
            raise type(e)(f"lockstep dataset: sample {index} failed to transform in epoch {epoch}: {e}") from e
        return self._output(y) if label is None and self.labels is None else (self._output(y), label)

    def __getitems__(self, keys: List[Any]):
        """A whole batch, each sample written straight into one (shared-memory in workers) batch tensor:
        the only copy out of the kernel. Sizes that differ fall back to one tensor per sample."""
        prepared = []
        for key in keys:
            index, epoch = self._key(key)
            item, label = self._read(index)
            x, _ = to_sample(item)
            try:
                params = self.pipeline.sample(x, seed=self.seed, epoch=epoch, index=index)
                meta = self.pipeline.output_meta(_meta(x), params)
            except Exception as e:
                raise type(e)(f"lockstep dataset: sample {index} failed to transform in epoch {epoch}: {e}") from e
            prepared.append((index, epoch, x, label, params, meta))
        shapes = {_js.dumps(p[5]) for p in prepared}
        if len(prepared) == 0 or len(shapes) != 1:
            # Outputs of different sizes: one tensor per sample, for a collate_fn that keeps lists;
            # lockstep's collate names the odd sample instead of stacking.
            return _Samples([self[k] for k in keys], [p[0] for p in prepared], [self._source(p[0]) for p in prepared])
        meta = prepared[0][5]
        if meta["kind"] == "tensor":
            batch = _new_batch((len(prepared), *meta["shape"]), torch.float32)
            slots = [batch[i].numpy() for i in range(len(prepared))]
        else:
            hwc = _new_batch((len(prepared), meta["height"], meta["width"], meta["channels"]), torch.uint8)
            batch = hwc.permute(0, 3, 1, 2)
            slots = [hwc[i].numpy() for i in range(len(prepared))]
        for (index, epoch, x, label, params, _), slot in zip(prepared, slots):
            try:
                self.pipeline.replay(x, {"meta": _meta(x), "params": params, "semantics": self.pipeline.semantics}, out=slot)
            except Exception as e:
                raise type(e)(f"lockstep dataset: sample {index} failed to transform in epoch {epoch}: {e}") from e
        labels = [p[3] for p in prepared]
        return _Batch(batch, labels if (self.labels is not None or any(l is not None for l in labels)) else None)


def _meta(x: np.ndarray) -> dict:
    from .image import meta_of
    return meta_of(x)


def _new_batch(shape, dtype) -> torch.Tensor:
    """A batch tensor; in a DataLoader worker, in shared memory (as default_collate does), so sending it
    to the main process copies nothing."""
    if tud.get_worker_info() is None:
        return torch.empty(shape, dtype=dtype)
    n = 1
    for d in shape:
        n *= d
    elem = torch.empty(0, dtype=dtype)
    try:
        storage = elem._typed_storage()._new_shared(n, device=elem.device)
        return elem.new(storage).resize_(shape)
    except AttributeError:  # a torch without the private helper: one copy more
        return torch.empty(shape, dtype=dtype).share_memory_()


class _Batch(list):
    """What Dataset.__getitems__ returns: the per-sample (tensor, label) views, and the batch tensor
    they view, which collate returns without stacking again."""

    def __init__(self, batch: torch.Tensor, labels: Optional[list]) -> None:
        super().__init__(batch[i] if labels is None else (batch[i], labels[i]) for i in range(batch.shape[0]))
        self.batch = batch
        self.labels = labels


class _Samples(list):
    """What Dataset.__getitems__ returns when the outputs differ in size: one (tensor, label) per
    sample, with the samples' dataset indices and files (for collate's messages)."""

    def __init__(self, samples: list, indices: List[int], sources: List[Optional[str]]) -> None:
        super().__init__(samples)
        self.indices = indices
        self.sources = sources


def _majority(keys: List[str]) -> str:
    """The most frequent key (ties: the one seen first), as the JavaScript Loader's collate picks it."""
    counts: dict = {}
    best = keys[0]
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
        if counts[k] > counts[best]:
            best = k
    return best


def _check_stackable(samples: _Samples) -> None:
    """The JavaScript Loader's collate check: the sample whose output differs from most of the batch
    (ties: the earliest shape), not whichever came second, is named by its dataset index and file."""
    outs = [s[0] if isinstance(s, tuple) else s for s in samples]
    kinds = ["an image" if t.dtype == torch.uint8 else "a tensor" for t in outs]
    shapes = [", ".join(str(d) for d in t.shape) for t in outs]
    kind = _majority(kinds)
    shape = _majority([s for s, k in zip(shapes, kinds) if k == kind])
    for i, (k, s) in enumerate(zip(kinds, shapes)):
        if k != kind:
            other = samples.indices[kinds.index(kind)]
            why = f"its output is {k}, but the batch's other outputs (e.g. sample {other}'s) are {'images' if kind == 'an image' else 'tensors'}"
        elif s != shape:
            other = samples.indices[shapes.index(shape)]
            why = (f"its output has shape [{s}], but the batch's other outputs (e.g. sample {other}'s) have [{shape}]: end the pipeline with a "
                   "fixed size (Resize + CenterCrop, RandomResizedCrop) or pass a collate_fn that keeps a list")
        else:
            continue
        src = samples.sources[i]
        raise RangeError(f"lockstep collate: sample {samples.indices[i]}{f' ({src})' if src else ''} cannot join its batch: {why}")


def collate(samples):
    """The DataLoader collate_fn for lockstep datasets: the batch tensor the dataset already wrote
    (no second copy), labels through default_collate. Outputs that cannot be stacked raise a
    lockstep.RangeError naming the odd sample (its dataset index and file), where default_collate
    would name a batch position, or promote uint8 images to float silently; anything else goes to
    default_collate."""
    if isinstance(samples, _Batch):
        if samples.labels is None:
            return samples.batch
        return samples.batch, tud.default_collate(samples.labels)
    if isinstance(samples, _Samples) and len(samples) > 0:
        _check_stackable(samples)
    return tud.default_collate(samples)


class DataLoader(tud.DataLoader):
    """torch's DataLoader over a lockstep Dataset with the JavaScript Loader's batches: the same
    shuffle (seed, epoch), shards (rank, world_size, uneven), batch grouping and drop_last, for any
    num_workers. Each completed pass advances the epoch (as the JavaScript Loader); set_epoch(e) picks one.
    state_dict() is the JavaScript Loader's state JSON ({"format": "lockstep-loader/1", ...}); a
    DataLoader built alike continues with load_state_dict(state), mid-epoch included, with the bytes
    of an uninterrupted run.

    Workers, as the JavaScript Loader's: torch's timeout= (seconds, num_workers >= 1) limits each
    batch, and a late batch raises lockstep.BatchTimeoutError naming its epoch, number and dataset
    indices, after its workers were stopped. The workers end with the loop (its end, a break or an
    error) unless persistent_workers=True (torch's option); then close(), or `with loader:`, ends
    them.

    batch_transform=lockstep.CutMix(num_classes=K) (or MixUp) mixes each batch keyed by (seed, epoch,
    batch number), as the JavaScript Loader's batchTransform: batches come as (images, (N, K) label
    weights), the same for any num_workers."""

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: bool = False, *, seed: Any = None, epoch: int = 0,
                 rank: Optional[int] = None, world_size: Optional[int] = None, uneven: str = "pad", drop_last: bool = False,
                 batch_transform: Any = None, **kwargs: Any) -> None:
        if not isinstance(dataset, Dataset):
            raise TypeError(f"dataset must be a lockstep.torch.Dataset, got {describe(dataset)}")
        for k in ("sampler", "batch_sampler"):
            if k in kwargs:
                raise TypeError(f"lockstep.torch.DataLoader makes its own {k} (the keyed shuffle); use torch.utils.data.DataLoader with lockstep.torch.KeyedSampler for your own")
        if not _js.is_safe_integer(batch_size) or batch_size < 1:
            raise RangeError(f"batch_size must be an integer >= 1, got {describe(batch_size)}")
        seed = dataset.seed if seed is None else check_seed(seed)
        if seed != dataset.seed:
            raise RangeError(f"seed {seed} differs from the dataset's seed {dataset.seed}: pass it once, to the Dataset")
        self.lockstep_sampler = KeyedSampler(len(dataset), seed=seed, shuffle=shuffle, rank=rank, world_size=world_size, uneven=uneven, epoch=epoch)
        timeout = kwargs.get("timeout", 0)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 <= timeout < float("inf"):
            raise RangeError(f"timeout must be a number of seconds >= 0 (0: no limit), got {describe(timeout)}")
        if timeout > 0 and kwargs.get("num_workers", 0) == 0:
            raise RangeError("timeout needs num_workers >= 1: with num_workers=0 the batch is computed on the calling thread, "
                             "which nothing can interrupt (torch's DataLoader refuses it too)")
        from .transforms.mix import CutMix, MixUp
        if batch_transform is not None and not isinstance(batch_transform, (MixUp, CutMix)):
            raise TypeError(f"batch_transform must be a lockstep MixUp or CutMix, got {describe(batch_transform)}")
        if batch_transform is not None and dataset.labels is None and not _has_pair_labels(dataset):
            raise TypeError("batch_transform mixes labels too: the dataset needs labels (labels=, or (image, label) items)")
        self.batch_transform = batch_transform
        kwargs.setdefault("collate_fn", collate)
        super().__init__(dataset, batch_size=batch_size, sampler=self.lockstep_sampler, drop_last=drop_last, **kwargs)
        self._epoch = self.lockstep_sampler.epoch
        self._batch = 0

    @property
    def epoch(self) -> int:
        """The epoch the next iteration runs (or the one running)."""
        return self._epoch

    def set_epoch(self, epoch: int) -> None:
        """Starts the next iteration at the beginning of epoch."""
        self._epoch = check_count(epoch, "epoch")
        self._batch = 0

    def batch_indices(self, epoch: int, batch: int) -> List[int]:
        """The dataset indices of batch `batch` of `epoch` (the JavaScript Loader's indices())."""
        shard = self.lockstep_sampler._shard(check_count(epoch, "epoch"))
        start = check_count(batch, "batch") * self.batch_size
        return [shard.at(p) for p in range(start, min(start + self.batch_size, shard.length))]

    def __iter__(self):
        s = self.lockstep_sampler
        s.epoch, s.start = self._epoch, self._batch * self.batch_size
        epoch, total = self._epoch, len(self)
        it = super().__iter__()
        finished = False
        try:
            while True:
                try:
                    batch = next(it)
                except StopIteration:
                    break
                except RuntimeError as e:
                    if self.timeout > 0 and "timed out" in str(e):
                        self._stop_workers(it)
                        raise BatchTimeoutError(epoch, self._batch, self.batch_indices(epoch, self._batch), self.timeout) from e
                    raise
                if self.batch_transform is not None:
                    # Keyed by (seed, epoch, batch number) on the calling thread: the same mix for any num_workers.
                    x, y = batch
                    batch = self.batch_transform(x, y, seed=self.dataset.seed, epoch=epoch, batch=self._batch)
                self._batch += 1
                if self._batch == total:
                    self._epoch, self._batch = epoch + 1, 0
                yield batch
            if total == 0:
                self._epoch = epoch + 1
            finished = True
        finally:
            # A break or an error ends the workers here, before the loop's next statement (persistent
            # ones too: their queues hold batches of an abandoned pass); the end of a pass ends them
            # unless persistent_workers.
            if not finished or not self.persistent_workers:
                self._stop_workers(it)

    def _stop_workers(self, it) -> None:
        shutdown = getattr(it, "_shutdown_workers", None)
        if shutdown is not None:
            shutdown()
        if getattr(self, "_iterator", None) is it:
            self._iterator = None

    def close(self) -> None:
        """Ends persistent workers now (the JavaScript Loader's close()); the next loop starts new ones."""
        it = getattr(self, "_iterator", None)
        if it is not None:
            self._stop_workers(it)

    def __enter__(self) -> "DataLoader":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def state_dict(self) -> dict:
        """Where the loader stands (the next batch), as the JavaScript Loader's state()."""
        s = self.lockstep_sampler
        return {"format": "lockstep-loader/1", "seed": str(s.seed), "epoch": self._epoch, "batch": self._batch, "length": s.n,
                "batchSize": self.batch_size, "shuffle": s.shuffle, "dropLast": self.drop_last, "rank": s.rank, "worldSize": s.world_size,
                "uneven": s.uneven, "pipeline": self.dataset.pipeline.to_dict()}

    def load_state_dict(self, state: Any) -> None:
        """Continues from state_dict() (here or the JavaScript Loader's state(), as a dict or JSON)."""
        import json
        if isinstance(state, str):
            state = json.loads(state)
        if not isinstance(state, dict) or state.get("format") != "lockstep-loader/1":
            raise TypeError(f"state must be a state from state_dict(), got {describe(state)}")
        mine = self.state_dict()
        for k in ("seed", "length", "batchSize", "shuffle", "dropLast", "rank", "worldSize", "uneven"):
            if state.get(k) != mine[k]:
                raise RangeError(f"state.{k} is {_js.dumps(state.get(k))}, but this loader has {_js.dumps(mine[k])}: resuming would not give the same batches")
        if _js.dumps(state.get("pipeline")) != _js.dumps(mine["pipeline"]):
            raise RangeError("state.pipeline differs from this loader's pipeline: resuming would not give the same batches")
        epoch = check_count(state.get("epoch"), "state.epoch")
        batch = check_count(state.get("batch"), "state.batch")
        if batch > len(self):
            raise RangeError(f"state.batch must be at most {len(self)} (batches per epoch), got {batch}")
        self._epoch, self._batch = epoch, batch


def _has_pair_labels(dataset: "Dataset") -> bool:
    first = dataset.items[0] if len(dataset.items) else None
    return isinstance(first, tuple) and len(first) == 2


def image_folder(root: Any):
    """torchvision ImageFolder's layout, as the JavaScript imageFolder(): root/<class>/**.png|jpg|jpeg|bmp|gif|tif|tiff,
    classes sorted, files sorted at every level. Returns (files, labels, classes)."""
    root = Path(root)
    classes = sorted(p.name for p in root.iterdir() if p.is_dir())
    if not classes:
        raise RangeError(f"image_folder: {root} has no class sub-folders (expected root/<class>/<image>)")
    files: List[str] = []
    labels: List[int] = []

    def walk(d: Path, label: int) -> None:
        for p in sorted(d.iterdir(), key=lambda p: p.name):
            if p.is_dir():
                walk(p, label)
            elif p.suffix.lower() in (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff"):
                files.append(str(p))
                labels.append(label)

    for label, c in enumerate(classes):
        walk(root / c, label)
    if not files:
        raise RangeError(f"image_folder: no image files (.png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff) under {root}")
    return files, labels, classes
