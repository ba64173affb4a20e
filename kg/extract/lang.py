"""Language of a text: English, Spanish or French (lingua, restricted to the three).

Long texts are detected with lingua's fast mode; short ones (labels such as themes)
only when lingua is confident, else the caller's fallback is used: a short label such as
"Programme implementation" is ambiguous and gets no language rather than a wrong one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

LANGUAGES = ("en", "es", "fr")
SHORT = 40
SAMPLE = 100  # characters of a long text enough to tell its language
CONFIDENT = 0.9


@lru_cache(maxsize=2)
def _detector(fast: bool) -> Any:
    from lingua import Language, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.SPANISH, Language.FRENCH
    )
    if fast:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def detect(text: str, fallback: str | None = None) -> str | None:
    """``"en"``, ``"es"`` or ``"fr"``; ``fallback`` when the text does not tell.

    >>> detect("Le projet a renforcé les capacités du ministère de l'Emploi")
    'fr'
    >>> detect("Chile", fallback="es")
    'es'
    """
    code = _detect_long(text[:SAMPLE]) if len(text) >= SHORT else _detect_short(text)
    return code if code is not None else fallback


@lru_cache(maxsize=1024)
def _detect_long(sample: str) -> str | None:
    # cached: a record's sample is its first field's, and boilerplate repeats
    found = _detector(True).detect_language_of(sample)
    return _code(found) if found is not None else None


@lru_cache(maxsize=65536)
def _detect_short(text: str) -> str | None:
    values = _detector(False).compute_language_confidence_values(text)
    if values and values[0].value >= CONFIDENT:
        return _code(values[0].language)
    return None


def _code(language: Any) -> str:
    return str(language.iso_code_639_1.name).lower()
