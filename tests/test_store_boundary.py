"""Nothing outside the store layer reaches into the engine behind a store: the Oxigraph
database is ``EvalStore.inner``, and only ``kg/store/`` uses it; the other layers call
the methods of :class:`kg.store.evalstore.EvalStore` (issue 19). The check reads the
source with :mod:`ast`; nothing is imported."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
STORE_LAYER = PACKAGE / "store"
ENGINE = "inner"


def engine_uses(path: Path) -> Iterator[int]:
    """The lines of ``path`` that use an attribute ``inner`` (``x.inner``, or
    ``getattr(x, "inner")``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        attribute = isinstance(node, ast.Attribute) and node.attr == ENGINE
        by_name = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == ENGINE
        )
        if attribute or by_name:
            yield getattr(node, "lineno", 0)


def test_only_the_store_layer_uses_the_engine_behind_a_store() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if STORE_LAYER not in path.parents
        for line in engine_uses(path)
    ]
    assert not found, (
        "modules outside kg/store/ use store.inner (use an EvalStore method, or add one):\n"
        + "\n".join(found)
    )


def test_the_check_sees_each_way_of_reaching_the_engine(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "def f(store):\n"
        "    store.inner.query('ASK {}')\n"
        "    getattr(store, 'inner')\n"
        "    store.inner_count = 1\n"
        "    inner = store.query('ASK {}')\n",
        encoding="utf-8",
    )
    assert sorted(engine_uses(source)) == [2, 3]
