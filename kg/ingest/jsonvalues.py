"""JSON values as written: numbers keep their digits, objects keep every member (a key
written twice too), and what could not be written back out (a lone surrogate, nesting
deeper than :data:`MAX_DEPTH`) is found before a record is made of it."""

from __future__ import annotations

import json

#: How deep a line may nest (a record nests four levels: the line, its container,
#: ``themes``, a pair); a deeper line is rejected.
MAX_DEPTH = 64


class JsonNumber(str):
    """A JSON number (or ``NaN``, ``Infinity``) as written: ``1e400`` stays ``1e400`` and
    ``3642.0000000000000001`` keeps every digit; never converted to an int or a float.

    >>> loads('{"n": 1e400, "m": 3642.0000000000000001}')
    {'n': '1e400', 'm': '3642.0000000000000001'}
    """

    __slots__ = ()


class JsonObject(dict[str, object]):
    """A JSON object: the first value of each key, and in :attr:`members` every member as
    written, repeated keys included.

    >>> loads('{"a": 1, "a": 2}').members
    [('a', '1'), ('a', '2')]
    """

    __slots__ = ("members",)

    def __init__(self, members: list[tuple[str, object]]) -> None:
        super().__init__(members)
        if len(self) < len(members):  # a key repeated: its first value, not its last
            for key, value in reversed(members):
                self[key] = value
        self.members = members


_DECODER = json.JSONDecoder(
    object_pairs_hook=JsonObject,
    parse_int=JsonNumber,
    parse_float=JsonNumber,
    parse_constant=JsonNumber,
)


def loads(line: str) -> object:
    """One JSON text, its numbers as :class:`JsonNumber` and objects as :class:`JsonObject`."""
    return _DECODER.decode(line)


def unreadable(obj: JsonObject, line: str) -> tuple[str, object] | None:
    """Why the ``line`` read as ``obj`` cannot be kept as it was written, and the bad
    part: it nests deeper than :data:`MAX_DEPTH`, or a key or a string holds a lone
    surrogate (a ``\\uD800`` escape not in a pair), which is no text and could not be
    written out."""
    if "\\u" not in line and line.count("[") + line.count("{") <= MAX_DEPTH:
        return None  # only an escape makes a surrogate; each level takes a bracket
    stack: list[tuple[object, int, str]] = [(obj, 1, "")]
    while stack:
        value, depth, key = stack.pop()
        inner: list[tuple[str, object]] = []
        if isinstance(value, JsonObject):
            inner = value.members
        elif isinstance(value, list):
            inner = [(key, item) for item in value]
        elif isinstance(value, str) and not _is_text(value):
            return f"a lone surrogate in the value of {key!r}: not text", value
        if isinstance(value, (dict, list)) and depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep", None
        for name, item in inner:
            if isinstance(value, JsonObject) and not _is_text(name):
                return "a lone surrogate in a key: not text", name
            stack.append((item, depth + 1, name))
    return None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_type(value: object) -> str:
    """What ``value`` is, for a message: ``a number``, ``a list``, ``null``…"""
    if isinstance(value, JsonNumber):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else "an object"


def dump(value: object) -> str:
    """``value`` as JSON: numbers as written, every member of an object, repeated keys
    included.

    >>> dump(loads('{"n": 1e400, "n": [true, null, "é"]}'))
    '{"n": 1e400, "n": [true, null, "é"]}'
    """
    if isinstance(value, JsonNumber):
        return str(value)
    if isinstance(value, dict):
        members = value.members if isinstance(value, JsonObject) else list(value.items())
        inner = (f"{json.dumps(k, ensure_ascii=False)}: {dump(v)}" for k, v in members)
        return "{" + ", ".join(inner) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)
