"""The follow-up of recommendations: the management response and the progress the site
records, as the SKOS concepts of ``ontology/evalkg.ttl`` (labels in English, Spanish and
French; the site's own spellings as ``skos:altLabel``).

>>> response_concept("management_response", "Partially Completed")
'ResponsePartiallyCompleted'
>>> response_concept("progress", "partially achieved"), response_concept("progress", "Soon")
('ProgressPartiallyAchieved', None)
>>> split_values("CO-Dhaka\\nDWT/CO-Lima; FUNDAMENTALS")
['CO-Dhaka', 'DWT/CO-Lima', 'FUNDAMENTALS']
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.textscan import name_key
from kg.resources import ontology_file

_EK = "https://w3id.org/evalkg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
#: Field → the concept scheme of its values.
SCHEMES = {
    "management_response": _EK + "ManagementResponseScheme",
    "progress": _EK + "ProgressScheme",
}
_SEPARATORS = re.compile(r"\s*(?:\n|;|,(?=\s))\s*")


@lru_cache(maxsize=1)
def _concepts() -> dict[tuple[str, str], str]:
    """(scheme, folded label) → local name of the concept, from the ontology."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=ontology_file("evalkg.ttl"), base_iri="http://evalkg.invalid/"))
    schemes = {
        q.subject.value: q.object.value
        for q in quads
        if q.predicate.value == _SKOS + "inScheme" and q.object.value in SCHEMES.values()
    }
    index: dict[tuple[str, str], str] = {}
    for q in quads:
        scheme = schemes.get(q.subject.value)
        if scheme and q.predicate.value in (_SKOS + "prefLabel", _SKOS + "altLabel"):
            index[(scheme, name_key(q.object.value))] = q.subject.value.removeprefix(_EK)
    return index


def response_concept(field: str, value: str) -> str | None:
    """The local name (in ``ek:``) of the concept ``value`` of ``field`` names, else
    ``None``."""
    return _concepts().get((SCHEMES[field], name_key(value)))


def split_values(value: str | None) -> list[str]:
    """The items of a list field (``admin_units``, ``project_symbols``): one a line, or
    separated by ``;`` or ``, ``."""
    if value is None:
        return []
    return [item for item in _SEPARATORS.split(value.strip()) if item.strip()]
