"""The word lists of ``wordlists/`` (kg.extract.wordlists): every list a file holds is read
by the code, and a bad file is an error that names it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.errors import DataError
from kg.extract import gazetteer, geo, wordlists
from kg.extract.initiativerules import run_by
from kg.extract.patterns import name_words
from kg.extract.placerules import place_words
from kg.extract.titles import kind_words, parse_title
from kg.extract.unitrules import unit_words
from kg.resources import data_dir

#: The cached readers of the word lists, each of which reads its lists once.
READERS: tuple[Callable[[], Any], ...] = (
    name_words,
    kind_words,
    unit_words,
    place_words,
    run_by,
    geo._scopes,
    geo._countries,
    gazetteer._not_places,
)


def _clear() -> None:
    wordlists.word_table.cache_clear()
    for reader in READERS:
        reader.cache_clear()  # type: ignore[attr-defined]


@pytest.fixture
def fresh() -> Iterator[None]:
    """The word lists read anew in the test, and again after it."""
    _clear()
    yield
    _clear()


def test_every_list_of_every_file_is_read(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    read: set[tuple[str, str, str]] = set()
    entries = wordlists.entries

    def recording(name: str, table: str) -> dict[str, list[str]]:
        found = entries(name, table)
        read.update((name, table, key) for key in found)  # a whole table: every list
        return found

    def phrases(name: str, table: str, key: str) -> tuple[str, ...]:
        read.add((name, table, key))
        return tuple(entries(name, table)[key])

    monkeypatch.setattr(wordlists, "entries", recording)
    monkeypatch.setattr(wordlists, "phrases", phrases)
    for reader in READERS:
        reader()
    files = sorted(data_dir("wordlists").glob("*.toml"))
    assert [f.stem for f in files] == ["names", "places", "recognize", "titles"]
    held = {
        (f.stem, table, key)
        for f in files
        for table, lists in wordlists.word_table(f.stem).items()
        for key in lists
    }
    assert held == read, f"lists no code reads: {sorted(held - read)}"


def _with_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> str:
    path = tmp_path / "titles.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(wordlists, "word_file", lambda name: str(tmp_path / f"{name}.toml"))
    return str(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[timing]\nFinalTiming = ['final'\n", "not TOML: "),
        ("timing = 3\n", "'timing' is not a table of word lists: 3"),
        (
            "[timing]\nFinalTiming = 'final'\n",
            "[timing] FinalTiming is not a list of strings: 'final'",
        ),
        ("[timing]\nFinalTiming = ['final', 2]\n", "is not a list of strings: ['final', 2]"),
        ("[nature]\n[words]\nevaluation = []\n", "no table [timing]"),
        ("[timing]\n[nature]\n[words]\n", "no list 'evaluation' in table [words]"),
    ],
)
def test_a_bad_word_list_names_its_file(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, message: str
) -> None:
    path = _with_file(monkeypatch, tmp_path, text)
    with pytest.raises(DataError) as caught:
        parse_title("Jobs - Final Evaluation")
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_bad_toml_names_the_line(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _with_file(monkeypatch, tmp_path, "[timing]\nFinalTiming = ['final']\nNo = ?\n[nature]\n")
    with pytest.raises(DataError, match=r"line 3"):
        kind_words()


def test_a_missing_word_list_names_its_file(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(wordlists, "word_file", lambda name: str(tmp_path / f"{name}.toml"))
    with pytest.raises(DataError, match=r"titles\.toml: cannot read the word list"):
        kind_words()


def test_a_country_alias_names_a_country(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "places.toml").write_text('[country_aliases]\nXYZ = ["atlantis"]\n')
    monkeypatch.setattr(wordlists, "word_file", lambda name: str(tmp_path / f"{name}.toml"))
    with pytest.raises(DataError) as caught:
        geo._countries()
    assert str(caught.value) == (
        f"{tmp_path / 'places.toml'}: [country_aliases] names no ISO 3166-1 alpha-3 code: 'XYZ'"
    )


def test_the_lists_are_read_once(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    load = wordlists.tomllib.load

    def counting(file: Any) -> Any:
        calls.append(file.name)
        return load(file)

    monkeypatch.setattr(wordlists.tomllib, "load", counting)
    for _ in range(3):
        for reader in READERS:
            reader()
        parse_title("Jobs - Independent Final Evaluation")
    names = ["names.toml", "places.toml", "recognize.toml", "titles.toml"]
    assert sorted(Path(c).name for c in calls) == names


def test_a_title_kind_from_the_word_list(fresh: None) -> None:
    """The order of ``[timing]`` decides: "mid term" is read before "final"."""
    kind = parse_title("Jobs - Independent Final Mid-term Evaluation")
    assert (kind.timing, kind.nature) == ("MidtermTiming", "IndependentNature")
