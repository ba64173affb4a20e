"""The word lists of ``wordlists/``: TOML files of tables of lists of strings, each file
read once per process.

>>> words("titles", "words", "evaluation") >= {"evaluation", "review"}
True
>>> word_table("titles")["timing"]["FinalTiming"]
['final', 'finale']
"""

from __future__ import annotations

import sys
from functools import cache

from kg.errors import DataError
from kg.resources import data_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

#: A word list file: table → key → strings.
WordTable = dict[str, dict[str, list[str]]]


def word_file(name: str) -> str:
    """The path of ``wordlists/<name>.toml``, as text for messages."""
    return str(data_dir("wordlists") / f"{name}.toml")


@cache
def word_table(name: str) -> WordTable:
    """The tables of ``wordlists/<name>.toml`` (read once). Raises :class:`DataError`
    naming the file (and the line, for bad TOML) and the bad value."""
    path = word_file(name)
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as exc:
        raise DataError(f"cannot read the word list ({exc.strerror})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"not TOML: {exc}", path=path) from None
    for table, entries in data.items():
        if not isinstance(entries, dict):
            raise DataError(f"{table!r} is not a table of word lists", path=path, value=entries)
        for key, value in entries.items():
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                message = f"[{table}] {key} is not a list of strings"
                raise DataError(message, path=path, value=value)
    return data


def entries(name: str, table: str) -> dict[str, list[str]]:
    """The lists of table ``[table]`` of ``wordlists/<name>.toml``, by key, in file order."""
    found = word_table(name).get(table)
    if found is None:
        raise DataError(f"no table [{table}]", path=word_file(name))
    return found


def phrases(name: str, table: str, key: str) -> tuple[str, ...]:
    """The list ``key`` of ``[table]``, in file order."""
    found = entries(name, table).get(key)
    if found is None:
        raise DataError(f"no list {key!r} in table [{table}]", path=word_file(name))
    return tuple(found)


def words(name: str, table: str, key: str) -> frozenset[str]:
    """The list ``key`` of ``[table]``, as a set."""
    return frozenset(phrases(name, table, key))


def inverted(name: str, table: str) -> dict[str, str]:
    """Each string of each list of ``[table]`` → the list's key (the later list wins a
    string two lists hold), in file order."""
    return {word: key for key, listed in entries(name, table).items() for word in listed}
