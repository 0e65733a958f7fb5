"""Validation of pipeline JSON, which may come from anywhere: every error names the path
(mirrors src/transforms/schema.ts)."""
from __future__ import annotations

import json
from typing import Any, Callable, Dict, List

from .._js import UNDEFINED
from ..errors import JSONSyntaxError, RangeError
from ..image import describe

BANNED = {"__proto__", "constructor", "prototype"}


class TransformSpec:
    """How to build one transform type from its JSON fields: the allowed fields and create(fields, path)."""

    def __init__(self, fields: List[str], create: Callable[[Dict[str, Any], str], Any]) -> None:
        self.fields = fields
        self.create = create


_registry: Dict[str, TransformSpec] = {}


def register(type_: str, fields: List[str], create: Callable[[Dict[str, Any], str], Any]) -> None:
    """Makes a transform type known to from_json."""
    _registry[type_] = TransformSpec(fields, create)


def registered_types() -> List[str]:
    """The registered transform type names."""
    return sorted(_registry)


class _Pathed(Exception):
    pass


def _pathed(e: BaseException) -> BaseException:
    e._lockstep_pathed = True  # type: ignore[attr-defined]
    return e


def _rethrow(e: BaseException, path: str):
    if getattr(e, "_lockstep_pathed", False):
        raise e
    msg = str(e)
    cls = RangeError if isinstance(e, ValueError) else TypeError
    raise _pathed(cls(f"{path}.{msg}")) from e


def _check_keys(v: Any, path: str) -> None:
    """Rejects prototype-polluting keys anywhere (the JavaScript host must; Python refuses the same JSON)."""
    if isinstance(v, list):
        for i, x in enumerate(v):
            _check_keys(x, f"{path}[{i}]")
    elif isinstance(v, dict):
        for k in v:
            if k in BANNED:
                raise _pathed(TypeError(f'{path}: the key "{k}" is not allowed in pipeline JSON'))
            _check_keys(v[k], f"{path}.{k}")


def transform_from_json(obj: Any, path: str):
    """Builds a transform from JSON at path (used for nested transforms too)."""
    if not isinstance(obj, dict):
        raise _pathed(TypeError(f'{path}: expected a transform object like {{"type": "RandomCrop", ...}}, got {describe(obj)}'))
    type_ = obj.get("type", UNDEFINED)
    if not isinstance(type_, str):
        raise _pathed(TypeError(f"{path}.type: expected a transform name string, got {describe(type_)}"))
    spec = _registry.get(type_)
    if spec is None:
        raise _pathed(RangeError(f"{path}.type: unknown transform {json.dumps(type_[:60])}; known: {', '.join(registered_types())}"))
    fields: Dict[str, Any] = {}
    for k in obj:
        if k == "type":
            continue
        if k not in spec.fields:
            raise _pathed(RangeError(f"{path}.{k}: unknown field for {type_} (allowed: {', '.join(spec.fields) or 'none'})"))
        fields[k] = obj[k]
    try:
        return spec.create(fields, path)
    except (TypeError, ValueError) as e:
        _rethrow(e, path)


def _reject_constant(name: str):
    raise JSONSyntaxError(f"from_json: not valid JSON: {name} is not a JSON value")


def from_json(value: Any):
    """Rebuilds a pipeline from JSON (a string or bytes, or the parsed object), as made by to_json()
    here or toJSON() in JavaScript. Every field is validated; errors are TypeError / lockstep.RangeError
    (a ValueError) naming the path, e.g. $.transforms[1].size."""
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8")
    if isinstance(value, str):
        try:
            value = json.loads(value, parse_constant=_reject_constant)
        except json.JSONDecodeError as e:
            raise JSONSyntaxError(f"from_json: not valid JSON: {e}") from None
    _check_keys(value, "$")
    return transform_from_json(value, "$")


def child_transforms(v: Any, path: str) -> list:
    """The array of transforms in fields["transforms"], each built at its path."""
    if not isinstance(v, list):
        raise _pathed(TypeError(f"{path}.transforms: expected an array of transforms, got {describe(v)}"))
    return [transform_from_json(x, f"{path}.transforms[{i}]") for i, x in enumerate(v)]


def kw(f: Dict[str, Any], **names: str) -> Dict[str, Any]:
    """Keyword arguments from the JSON fields that are present: kw(f, pad_if_needed="padIfNeeded")."""
    return {py: f[js] for py, js in names.items() if js in f}


def req(f: Dict[str, Any], name: str) -> Any:
    """A required field, UNDEFINED when missing (the constructor then says what it wants)."""
    return f.get(name, UNDEFINED)
