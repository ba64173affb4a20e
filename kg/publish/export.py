"""Export the graph: Turtle, N-Triples, JSON-LD and RDF/XML hold the merged graph (every
triple once); N-Quads and TriG hold every named graph (each record's, with its provenance,
the shared entity descriptions and the reference graphs), whose union is that merged graph.

XML 1.0 cannot hold most control characters (U+0000–U+001F but tab, line feed and carriage
return; U+FFFE, U+FFFF), which record text may: RDF/XML writes each as U+FFFD and
:func:`export` returns how many literals it changed so; the other formats keep them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kg.errors import ConfigError
from kg.store.evalstore import EvalStore
from kg.vocab import PREFIXES

#: Format name → (pyoxigraph RdfFormat attribute, holds named graphs).
FORMATS = {
    "turtle": ("TURTLE", False),
    "nt": ("N_TRIPLES", False),
    "jsonld": ("JSON_LD", False),
    "nquads": ("N_QUADS", True),
    "trig": ("TRIG", True),
    "rdfxml": ("RDF_XML", False),
}
_EXTENSIONS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "rdfxml",
}
#: What XML 1.0 cannot hold, even as a character reference.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The end of an IRI that RDF/XML can write as an element name (an XML name).
_XML_NAME_END = re.compile(r"[^\W\d][\w.-]*$")


def guess_format(path: str | os.PathLike[str]) -> str | None:
    """The format name a file extension implies, e.g. ``graph.ttl`` → ``turtle``."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


def output_format(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The format to write ``path`` in: ``format`` when given, else the one its extension
    names, else (no extension) Turtle. An extension evalkg does not know is refused, not
    guessed.

    >>> output_format("graph.rdf"), output_format("graph"), output_format("g.txt", "nt")
    ('rdfxml', 'turtle', 'nt')
    """
    if format is not None:
        rdf_format(format)
        return format
    suffix = Path(path).suffix
    if not suffix:
        return "turtle"
    found = guess_format(path)
    if found is None:
        known = ", ".join(sorted(_EXTENSIONS))
        raise ConfigError(
            f"unknown extension (use {known}, or give the format)", path=str(path), value=suffix
        )
    return found


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold written as U+FFFD.

    >>> xml_text("a\\x01b\\tc") == "a\\ufffdb\\tc"
    True
    """
    return NOT_XML.sub("\ufffd", text)


def rdf_format(name: str) -> Any:
    """The pyoxigraph ``RdfFormat`` of a format name."""
    import pyoxigraph as ox

    if name not in FORMATS:
        raise ConfigError(f"unknown export format (use {', '.join(FORMATS)})", value=name)
    return getattr(ox.RdfFormat, FORMATS[name][0])


def export(
    store: EvalStore, output: IO[bytes] | str | os.PathLike[str], *, format: str = "turtle"
) -> int:
    """Write the store to ``output`` (a path or a binary file) in ``format``; return how
    many literals were changed to fit the format (RDF/XML only: see the module doc)."""
    import pyoxigraph as ox

    target = rdf_format(format)
    prefixes = {**PREFIXES, "id": store.base_iri}
    if FORMATS[format][1]:
        ox.serialize(store.named_quads(), output, format=target, prefixes=prefixes)
        return 0
    triples: Iterable[Any] = store.default_triples()
    changed = [0]
    if format == "rdfxml":
        triples = _xml_safe(triples, changed)
    write: Callable[..., Any] = ox.serialize
    if format == "nt":
        write(triples, output, format=target)
    else:
        write(triples, output, format=target, prefixes=prefixes)
    return changed[0]


def export_file(
    store: EvalStore, path: str | os.PathLike[str], *, format: str | None = None
) -> tuple[str, int]:
    """Write the store to the file ``path`` in ``format`` or the one its extension names
    (:func:`output_format`): ``evalkg export -o``. Returns the format and the count of
    :func:`export`."""
    chosen = output_format(path, format)
    try:
        return chosen, export(store, path, format=chosen)
    except OSError as exc:
        raise ConfigError(f"cannot write the export: {exc.strerror}", path=str(path)) from exc
    except ConfigError:
        Path(path).unlink(missing_ok=True)  # half written
        raise


def _xml_safe(triples: Iterable[Any], changed: list[int]) -> Iterator[Any]:
    """The triples, each literal XML 1.0 cannot hold rewritten (counted in ``changed``)."""
    import pyoxigraph as ox

    names: set[str] = set()
    for triple in triples:
        predicate = triple.predicate.value
        if predicate not in names:
            if not _XML_NAME_END.search(predicate):
                raise ConfigError(
                    "RDF/XML cannot write this predicate (no XML name ends it)", value=predicate
                )
            names.add(predicate)
        value = triple.object
        if isinstance(value, ox.Literal) and NOT_XML.search(value.value):
            changed[0] += 1
            text = xml_text(value.value)
            if value.language:
                value = ox.Literal(text, language=value.language)
            else:
                value = ox.Literal(text, datatype=value.datatype)
            triple = ox.Triple(triple.subject, triple.predicate, value)
        yield triple
