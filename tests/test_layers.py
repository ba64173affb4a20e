"""The layers of kg/: every module imports only modules of its own layer or of the layers
below it, and no import cycle runs through the package.

The layers follow the data: pages are read into records (ingest), their text is scanned
for what it names (extract), mapped to RDF (rdf), kept in the store (store), asked with
SPARQL (sparql), loaded by a build (load), projected as networks (network), drawn
(views), published (publish), and driven from the command line (cli). Helpers that know
nothing of that flow (errors, data folders, namespaces, IRIs, the clock) are the base,
which every layer may import.

Every import of a kg module counts: at module level, inside a function, and under
``if TYPE_CHECKING:`` (a type-only import still ties the two modules' designs). The
checks read the source with :mod:`ast`; nothing is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kg"

#: The layers, lowest first: ``base`` is the modules at the top of kg/ (listed in BASE),
#: every other layer is the sub-package of its name; the package's own ``__init__`` (the
#: public API) sits above them all.
LAYERS = (
    "base",
    "ingest",
    "extract",
    "rdf",
    "store",
    "sparql",
    "load",
    "networks",
    "views",
    "publish",
    "cli",
)
BASE = frozenset(
    ["errors", "resources", "vocab", "iris", "clock", "terminal", "gcpause", "progress"]
)
RANK = {name: rank for rank, name in enumerate(LAYERS)}
RANK["__init__"] = len(LAYERS)


def layer_of(module: str) -> str | None:
    """The layer of a module (``sparql`` for ``sparql.query``), or ``None`` if it has none.

    >>> layer_of("sparql.query"), layer_of("store"), layer_of("errors"), layer_of("kinds")
    ('sparql', 'store', 'base', None)
    """
    if module == "__init__":
        return "__init__"
    head = module.split(".")[0]
    if head in RANK and head != "base":
        return head
    return "base" if module in BASE else None


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """``store`` for kg/store/evalstore.py, ``__init__`` for kg/__init__.py (``a.b`` for a module of
    a sub-package, ``a`` for its ``__init__``)."""
    parts = path.relative_to(package).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(
    path: Path, modules: frozenset[str], package: Path = PACKAGE
) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of every import of a kg module in ``path``, wherever it is."""
    here = module_name(path, package)
    # the package a relative import of this module starts from ("" for kg itself)
    base = [] if here == "__init__" else here.split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "kg" or alias.name.startswith("kg."):
                    yield node.lineno, _known(alias.name.split(".")[1:], modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                up = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = [*up, *(node.module.split(".") if node.module else [])]
            elif node.module and (node.module == "kg" or node.module.startswith("kg.")):
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:  # ``from . import lang``: the module lang
                yield node.lineno, _known([*target, alias.name], modules)


def _known(parts: list[str], modules: frozenset[str]) -> str:
    """The longest prefix of ``parts`` that names a module (``__init__``: the package)."""
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in modules:
            return name
    return "__init__"


def import_graph(package: Path = PACKAGE) -> dict[str, dict[str, int]]:
    """Module → {module it imports: the line of the first such import}."""
    paths = sorted(package.rglob("*.py"))
    modules = frozenset(module_name(p, package) for p in paths)
    graph: dict[str, dict[str, int]] = {}
    for path in paths:
        here = module_name(path, package)
        edges = graph.setdefault(here, {})
        for line, target in imports_of(path, modules, package):
            if target != here:
                edges.setdefault(target, line)
    return graph


def find_cycle(graph: Mapping[str, Mapping[str, int]]) -> list[str] | None:
    """One import cycle as ``[a, b, …, a]``, or ``None`` (a depth-first search).

    >>> find_cycle({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}})
    ['a', 'b', 'c', 'a']
    >>> find_cycle({"a": {"b": 1}, "b": {}, "c": {"a": 1, "b": 1}}) is None
    True
    """
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path: list[str] = [start]
        on_path = {start}
        stack = [iter(sorted(graph.get(start, {})))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            if nxt in on_path:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(sorted(graph.get(nxt, {}))))
    return None


def test_every_module_has_a_layer() -> None:
    modules = set(import_graph())
    unknown = sorted(m for m in modules if layer_of(m) is None)
    assert not unknown, (
        f"modules in no layer (move them into a layer's sub-package, or add a helper that "
        f"knows nothing of the data flow to BASE): {unknown}"
    )
    gone = sorted(BASE - modules)
    assert not gone, f"BASE names modules kg/ no longer has: {gone}"
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS) - {"base"}, "every sub-package of kg/ is a layer"


def _path(module: str) -> str:
    if module == "__init__":
        return "kg/__init__.py"
    return f"kg/{module.replace('.', '/')}" + ("/__init__.py" if module in RANK else ".py")


def test_no_import_cycle() -> None:
    graph = import_graph()
    cycle = find_cycle(graph)
    steps = pairwise(cycle or [])
    where = "; ".join(f"{_path(a)}:{graph[a][b]} imports {b}" for a, b in steps)
    assert cycle is None, f"import cycle in kg/: {' → '.join(cycle or [])} ({where})"


def test_no_import_runs_up_the_layers() -> None:
    upward = []
    for module, edges in sorted(import_graph().items()):
        here = layer_of(module)
        for target, line in sorted(edges.items()):
            there = layer_of(target)
            if here and there and RANK[there] > RANK[here]:
                upward.append(
                    f"{_path(module)}:{line} imports {target} "
                    f"({here} imports {there}, a layer above it)"
                )
    assert not upward, "imports that run up the layers:\n" + "\n".join(upward)


def test_the_checks_see_every_kind_of_import(tmp_path: Path) -> None:
    """Module-level, relative, absolute, ``from . import``, function-level and
    type-only imports are all edges; an import of something outside kg is none."""
    package = tmp_path / "kg"
    (package / "sub").mkdir(parents=True)
    sources = {
        "__init__.py": "from .a import f\n",
        "a.py": "import json\nfrom . import b\n",
        "b.py": "def g():\n    import kg.c\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kg.sub import d\n",
        "sub/__init__.py": "",
        "sub/d.py": "from ..a import f\nfrom . import e\n",
        "sub/e.py": "from kg import errors\n",
    }
    for name, text in sources.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = import_graph(package)
    assert {m: sorted(e) for m, e in graph.items()} == {
        "__init__": ["a"],
        "a": ["b"],
        "b": ["c"],
        "c": ["sub.d"],
        "sub": [],
        "sub.d": ["a", "sub.e"],
        "sub.e": ["__init__"],
    }
    assert find_cycle(graph) == ["a", "b", "c", "sub.d", "a"]


#: The size a module and a function of kg/ stay under (lines; a function from its
#: ``def`` to its end, docstring included, its decorators not).
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def test_modules_and_functions_stay_small() -> None:
    too_big = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(PACKAGE.parent)
        if (lines := len(text.splitlines())) > MAX_MODULE_LINES:
            too_big.append(f"{where}: {lines} lines")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_big.append(f"{where}:{node.lineno} {node.name}: {length} lines")
    assert not too_big, "split these (one concept a module, one step a function):\n" + "\n".join(
        too_big
    )
