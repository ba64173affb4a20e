"""The files of a static site: safe names for IRIs, and a folder written only where a
file's bytes change.

An IRI's file name is its path under the base IRI when every segment is plain (letters,
digits, ``-`` and ``_``, starting with a letter or digit, at most 100 characters) and no
other name differs from it in case only; any other IRI gets ``_/`` followed by a slug and a
hash of the IRI. So no name holds ``..``, an absolute path, a percent sign, a space or a
character a web host trips on, and two IRIs never share a file on a case-blind disk.

>>> names = site_names("https://w3id.org/evalkg/id/", ["https://w3id.org/evalkg/id/org/x",
...                    "https://w3id.org/evalkg/id/org/../../etc/passwd"])
>>> names["https://w3id.org/evalkg/id/org/x"]
'org/x'
>>> names["https://w3id.org/evalkg/id/org/../../etc/passwd"]
'_/org-etc-passwd-f2265c5c329d3bd2'
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ConfigError

#: A plain path segment.
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
_SLUG = re.compile(r"[^a-z0-9]+")
#: The file that lists what the site holds (the files a re-run may remove).
MANIFEST = ".evalkg-site.json"


def _hashed(local: str, iri: str) -> str:
    slug = _SLUG.sub("-", local.lower()).strip("-")[:60] or "x"
    return f"_/{slug}-{hashlib.sha256(iri.encode('utf-8')).hexdigest()[:16]}"


def site_names(base: str, iris: Iterable[str]) -> dict[str, str]:
    """A safe, unique file stem (without suffix, ``/``-separated) for each IRI under
    ``base``."""
    names: dict[str, str] = {}
    folded: dict[str, str] = {}
    for iri in sorted(set(iris)):
        local = iri[len(base) :]
        plain = all(_SEGMENT.fullmatch(part) for part in local.split("/"))
        name = local if plain and local.casefold() not in folded else _hashed(local, iri)
        folded[name.casefold()] = iri
        names[iri] = name
    return names


@dataclass
class SiteReport:
    """What a run of :func:`kg.publish.site.publish_site` did: the site's files (relative
    paths) written, left as they were, and removed (no longer part of the site)."""

    folder: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    entities: int = 0

    def lines(self) -> list[str]:
        """The report as lines for a terminal."""
        return [
            f"{self.folder}: {self.entities:,} entity pages; {len(self.written):,} files "
            f"written, {len(self.unchanged):,} unchanged, {len(self.removed):,} removed"
        ]


class SiteFolder:
    """A site's folder: :meth:`put` writes a file whose bytes differ from what is there,
    :meth:`finish` removes the files an earlier run wrote that this one did not."""

    def __init__(self, folder: str | Path) -> None:
        self.root = Path(folder)
        self.report = SiteReport(self.root)
        manifest = self._manifest()
        files, issued = manifest.get("files"), manifest.get("issued")
        self.previous = [str(n) for n in files] if isinstance(files, list) else []
        self.issued = issued if isinstance(issued, str) else None

    def _manifest(self) -> dict[str, object]:
        path = self.root / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read the site's manifest: {exc}", path=str(path)) from exc
        return data if isinstance(data, dict) else {}

    def put(self, name: str, data: bytes) -> None:
        """Write ``data`` to ``name`` (a relative path) unless it holds those bytes."""
        path = self.root / name
        try:
            if path.is_file() and path.read_bytes() == data:
                self.report.unchanged.append(name)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise ConfigError(f"cannot write the site: {exc.strerror}", path=str(path)) from exc
        self.report.written.append(name)

    def finish(self, issued: str) -> SiteReport:
        """Remove what the site no longer holds, record what it holds; the report."""
        kept = set(self.report.written) | set(self.report.unchanged)
        for name in sorted(set(self.previous) - kept):
            path = self.root / name
            if ".." in Path(name).parts or Path(name).is_absolute():
                continue  # a manifest edited by hand names nothing outside the site
            path.unlink(missing_ok=True)
            self.report.removed.append(name)
            for parent in path.parents:
                if parent == self.root or not parent.is_dir() or any(parent.iterdir()):
                    break
                parent.rmdir()
        manifest = {"issued": issued, "files": sorted(kept)}
        text = json.dumps(manifest, indent=1) + "\n"
        (self.root / MANIFEST).write_text(text, encoding="utf-8")
        return self.report
