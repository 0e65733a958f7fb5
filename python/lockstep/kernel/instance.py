"""Loads build/lockstep.wasm under wasmtime (mirrors src/kernel/instance.ts).

One kernel per process, made on first use: a DataLoader worker (fork or spawn) makes its own.
Exports are called through wasmtime's unchecked path (one preallocated argument array per
export; the signatures are the wasm's own), about 2 µs a call instead of ~10 µs per argument.
"""
from __future__ import annotations

import ctypes
import os
from pathlib import Path
from typing import Any, Callable

import numpy as np
import wasmtime
from wasmtime import _ffi as ffi

from ..errors import KernelError
from .arena import Arena

_HERE = Path(__file__).resolve().parent.parent


def default_wasm_path() -> Path:
    """The kernel this package uses: $LOCKSTEP_WASM, the copy inside the installed package, or the repository's build/."""
    env = os.environ.get("LOCKSTEP_WASM")
    if env:
        return Path(env)
    packaged = _HERE / "lockstep.wasm"
    if packaged.exists():
        return packaged
    return _HERE.parent.parent / "build" / "lockstep.wasm"


_FIELD = {"i32": "i32", "i64": "i64", "f32": "f32", "f64": "f64"}


def _kind(t: Any) -> str:
    s = str(t)
    if s not in _FIELD:
        raise KernelError(f"lockstep: unsupported wasm value type {s}")
    return s


class Kernel:
    """A loaded kernel: one fast caller per export (as attributes), its memory and the arena."""

    def __init__(self, wasm: bytes | None = None, path: str | Path | None = None) -> None:
        self.pid = os.getpid()
        config = wasmtime.Config()
        # Compile on this thread: wasmtime's compile thread pool does not survive fork(), and
        # DataLoader workers are forked from a process that has compiled the kernel already.
        config.parallel_compilation = False
        config.wasm_relaxed_simd = False  # the kernel must never need it (results differ by hardware)
        self.engine = wasmtime.Engine(config)
        self.store = wasmtime.Store(self.engine)
        if wasm is None:
            p = Path(path) if path is not None else default_wasm_path()
            if not p.exists():
                raise FileNotFoundError(
                    f"lockstep: the kernel {p} is missing. In a checkout of the repository run `npm run build:wasm` "
                    "(or `npm ci`, which builds it); an installed package carries it inside (pip install ./python after building)."
                )
            wasm = p.read_bytes()
        module = wasmtime.Module(self.engine, wasm)
        self.instance = wasmtime.Instance(self.store, module, [])
        self._ctx = self.store._context()
        self._trap = ctypes.POINTER(ffi.wasm_trap_t)()
        exports = self.instance.exports(self.store)
        self.memory = exports["memory"]
        self.constants: dict[str, int] = {}
        """The kernel's exported i32 globals (enum codes, flags, info-block slots, status codes), by name."""
        for name in (e.name for e in module.exports):
            item = exports[name]
            if isinstance(item, wasmtime.Func):
                setattr(self, name, self._caller(name, item))
            elif isinstance(item, wasmtime.Global):
                self.constants[name] = int(item.value(self.store))
        self.arena = Arena(self)

    def _caller(self, name: str, func: wasmtime.Func) -> Callable[..., Any]:
        ty = func.type(self.store)
        params = [_kind(p) for p in ty.params]
        results = [_kind(r) for r in ty.results]
        n = max(1, len(params), len(results))
        raw = (ffi.wasmtime_val_raw_t * n)()
        fref = ctypes.byref(func._func)
        args = ", ".join(f"a{i}" for i in range(len(params)))
        sets = "".join(f"    raw[{i}].{params[i]} = a{i}\n" for i in range(len(params)))
        ret = f"    return raw[0].{results[0]}\n" if results else ""
        src = (
            f"def {name}({args}):\n{sets}"
            f"    err = call(ctx, fref, raw, {n}, trapref)\n"
            f"    if err or trap:\n        fail({name!r}, err)\n{ret}"
        )
        scope = {"raw": raw, "fref": fref, "call": ffi.wasmtime_func_call_unchecked, "ctx": self._ctx,
                 "trapref": ctypes.byref(self._trap), "trap": self._trap, "fail": self._fail}
        exec(src, scope)  # one specialised function per export: no per-argument loop
        return scope[name]

    def _fail(self, name: str, err: Any) -> None:
        if err:
            message = str(wasmtime.WasmtimeError._from_ptr(err))
        else:
            message = str(wasmtime.Trap._from_ptr(ctypes.cast(self._trap, ctypes.POINTER(ffi.wasm_trap_t))))
            ctypes.memset(ctypes.addressof(self._trap), 0, ctypes.sizeof(self._trap))
        raise KernelError(f"lockstep: internal kernel error in {name} ({message.splitlines()[0] if message else 'trap'}); please report it with the call that caused it")

    def memory_size(self) -> int:
        return self.memory.data_len(self.store)

    def grow(self, pages: int) -> None:
        self.memory.grow(self.store, pages)

    def memory_view(self) -> np.ndarray:
        """A uint8 view of the whole linear memory (no copy); take it again after growing."""
        n = self.memory.data_len(self.store)
        return np.ctypeslib.as_array(self.memory.data_ptr(self.store), shape=(n,))


_current: Kernel | None = None


def _forget_in_child() -> None:
    # A forked child (a DataLoader worker) makes its own kernel on first use: the parent's store is
    # not usable across fork. (Asking getpid() on every call instead costs a system call each time.)
    global _current
    _current = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def init(wasm: bytes | None = None, path: str | Path | None = None) -> None:
    """Loads the kernel from bytes or a path (default: see default_wasm_path). Idempotent per process."""
    global _current
    if _current is None:
        _current = Kernel(wasm, path)


def ready() -> None:
    """Loads the kernel now (it is otherwise loaded on first use)."""
    init()


def kernel() -> Kernel:
    """The loaded kernel of this process, made on first use (again in a forked child)."""
    k = _current
    if k is None:
        init()
        k = _current
    return k  # type: ignore[return-value]
