"""A small TOML writer for the subset of TOML that model files use.

Writes nested mappings of strings, booleans, integers, floats (including
``inf`` and ``nan``) and arrays of those: sub-mappings whose values are all
scalars or arrays of scalars become inline tables, other sub-mappings become
``[table]`` headers and arrays of mappings ``[[array]]`` tables. The output
parses back with :mod:`tomllib` to the same data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

__all__: list[str] = []

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _key(key: str) -> str:
    if not isinstance(key, str):
        raise TypeError(f"TOML keys must be strings, got {key!r}")
    return key if _BARE.match(key) else _string(key)


def _string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    raise TypeError(f"cannot write {type(v).__name__} {v!r} as TOML")


def _is_table_array(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)


def _inline(v) -> str:
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_inline(x) for x in v) + "]"
    return _scalar(v)


def _is_leaf(v) -> bool:
    """Written on one line: scalars, arrays of leaves, mappings of leaves (inline)."""
    if isinstance(v, Mapping):
        return all(_is_leaf(x) and not isinstance(x, Mapping) for x in v.values())
    if isinstance(v, (list, tuple)):
        return all(_is_leaf(x) for x in v)
    return True


def _table(lines: list, path: tuple, d: Mapping, header: str | None) -> None:
    if header is not None:
        lines.append("")
        lines.append(header)
    nested = []
    for k, v in d.items():
        if _is_leaf(v) and not _is_table_array(v):
            lines.append(f"{_key(k)} = {_inline(v)}")
        else:
            nested.append((k, v))
    for k, v in nested:
        sub = (*path, _key(k))
        if _is_table_array(v):
            for item in v:
                _table(lines, sub, item, "[[" + ".".join(sub) + "]]")
        elif isinstance(v, Mapping):
            _table(lines, sub, v, "[" + ".".join(sub) + "]")
        else:  # an array mixing tables and scalars: inline
            lines.append(f"{_key(k)} = {_inline(v)}")


def dumps(data: Mapping, header: str = "") -> str:
    """TOML text for ``data`` (a mapping), optionally after a comment header.

    Examples
    --------
    >>> import tomllib
    >>> doc = {"a": 1, "t": {"x": [1.5, 2.0]}, "p": [{"name": "A", "v": {"k": "lin"}}]}
    >>> tomllib.loads(dumps(doc)) == doc
    True
    """
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    _table(lines, (), data, None)
    return "\n".join(lines).lstrip("\n") + "\n"
