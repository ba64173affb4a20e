"""What every self-contained HTML page of evalkg shares (the network views and the map):
the rendered page and how it is saved and shown in Jupyter, the Jinja2 templates of
``visualizations/`` (autoescaping on), the scripts and style sheets inlined into a page
(refused if they could end their element), the Content-Security-Policy that lets only
those run (by hash) and forbids every request, and JSON safe inside a ``<script>``.

>>> content_policy(["a"], ["b"]).startswith("default-src 'none'; script-src 'sha256-")
True
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from kg.errors import ConfigError

#: Height of a page shown inline in a notebook (pixels).
NOTEBOOK_HEIGHT = 640
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


@dataclass
class Page:
    """A rendered page (``html``). In Jupyter it displays inline (an ``<iframe srcdoc>``
    holding the page)."""

    html: str
    #: What the page is, in error messages ("view", "map").
    kind: ClassVar[str] = "page"

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        target = Path(path)
        try:
            target.write_text(self.html, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"cannot write the {self.kind}: {exc.strerror}", path=str(target)
            ) from exc
        return target

    @property
    def size(self) -> int:
        """Size of the page in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{NOTEBOOK_HEIGHT}px;border:1px solid #ddd" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>'
        )


@functools.cache
def template(name: str) -> Any:
    """The Jinja2 template ``visualizations/name`` (autoescaping, strict undefined)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from kg.resources import data_dir

    env = Environment(
        loader=FileSystemLoader(str(data_dir("visualizations"))),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(name)


def read_asset(path: Path, tag: str) -> str:
    """An asset to inline in a ``<tag>`` element; refused if it could end that element."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"missing page asset: {exc.strerror}", path=str(path)) from exc
    lowered = text.lower()
    for marker in (f"</{tag}", "<!--"):
        if marker in lowered:
            raise ConfigError(f"asset cannot be inlined in <{tag}>", path=str(path), value=marker)
    return text


def sha256_source(text: str) -> str:
    """A CSP source expression for the inline element holding ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_policy(scripts: Iterable[str], styles: Iterable[str]) -> str:
    """The page's Content-Security-Policy: only these inlined scripts and style sheets
    (by hash), images as data: URLs, and no request of any kind."""
    return (
        f"default-src 'none'; script-src {' '.join(map(sha256_source, scripts))}; "
        f"style-src {' '.join(map(sha256_source, styles))}; img-src data:; "
        "font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'; "
        "object-src 'none'"
    )


def evalkg_version() -> str:
    """evalkg's version, for the page's generator tag (``dev`` in an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("evalkg")
    except PackageNotFoundError:
        return "dev"


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    >>> script_json({"a": "</script><b>&\u2028"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)
