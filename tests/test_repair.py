"""Mojibake repair (kg.ingest.repair): what is repaired, and offsets that map back exactly."""

from __future__ import annotations

import re

import pytest

from kg.ingest.repair import repair


@pytest.mark.parametrize(
    ("verbatim", "fixed"),
    [
        ("the employersÂ’ role", "the employers’ role"),
        ("ILO-IPEC¿s project", "ILO-IPEC’s project"),
        ("the project´s aims", "the project’s aims"),
        ("CÃ´te dâ€™Ivoire", "Côte d’Ivoire"),
        ("â€œProgramaâ€\x9d", "“Programa”"),
        ("¿Qué aprendimos?", "¿Qué aprendimos?"),  # Spanish, not mojibake
        ("l'âge légal", "l'âge légal"),  # French, not mojibake
    ],
)
def test_what_is_repaired(verbatim: str, fixed: str) -> None:
    assert repair(verbatim).text == fixed


def test_every_span_of_a_long_text_maps_back_into_the_verbatim_text() -> None:
    """Many repairs in one long text: each repaired name maps to its verbatim form, and
    text between repairs maps to itself."""
    unit = "The employersÂ’ federation met OIT¿s staff in CÃ´te dâ€™Ivoire. "
    fixed = repair(unit * 300)
    assert fixed.text == repair(unit).text * 300
    names = [m.span() for m in re.finditer("Côte d’Ivoire", fixed.text)]
    assert len(names) == 300
    for start, end in names:
        begin, stop = fixed.original(start, end)
        assert fixed.verbatim[begin:stop] == "CÃ´te dâ€™Ivoire"
    for match in re.finditer("federation met OIT", fixed.text):
        begin, stop = fixed.original(*match.span())
        assert fixed.verbatim[begin:stop] == "federation met OIT"
