"""The server's HTML: the templates of ``visualizations/serve/``, rendered by Jinja2 with
autoescaping on, so every value a page shows is text, whatever a record holds. Data a
page's script reads travels as JSON in a ``<script type="application/json">`` element,
written with Jinja2's ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped: no record text
can close it).

>>> "<script>" in render("missing.html.j2", title="t", iri="<script>x</script>")
False
"""

from __future__ import annotations

import functools
from typing import Any

from kg.resources import data_dir

TEMPLATES = "serve"


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    folder = data_dir("visualizations") / TEMPLATES
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("evalkg")
    except PackageNotFoundError:  # a checkout that is not installed
        return ""


def render(template: str, **context: Any) -> str:
    """The page ``template`` of ``visualizations/serve/`` with ``context``."""
    context.setdefault("version", _version())
    page: str = _environment().get_template(template).render(**context)
    return page
