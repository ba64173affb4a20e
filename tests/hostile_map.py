"""The map of the hostile record with hostile text in every string the page shows, for
tests/test_map.py and tests/test_map_browser.py (a helper module, not a test file)."""

from __future__ import annotations

from pathlib import Path

from kg.networks.geodata import GeoData, Spot, geo_data
from kg.networks.netdata import Entity
from kg.store.evalstore import EvalStore

HOSTILE_PAGE = Path(__file__).parent / "data" / "hostile" / "hostile.txt"
SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
SVG = '"><svg onload=window.pwned=1>'
HOSTILE = (SCRIPT, IMG, SVG)
JS_URL = "javascript:window.pwned=1"
REGION = "https://w3id.org/evalkg/id/region/x"


def hostile_geo(store: EvalStore, text: str) -> GeoData:
    """The map of ``store`` with ``text`` in every label, alias, seat, organization,
    finding and evaluation title, a ``javascript:`` URL for every finding, and a region
    (listed apart) named with it."""
    geo = geo_data(store)
    data = geo.data
    for iri, row in data.lessons.items():
        row.update(title=f"title {text}", url=JS_URL)
        details = data.evaluations[row["evaluation"]]
        data.evaluations[row["evaluation"]] = details._replace(title=f"evaluation {text}")
        for org in geo.links[iri].get("mentionsOrganization", []):
            data.entities[org] = Entity(f"org {text}", [], "organization")
    for spot in geo.spots.values():
        spot.label, spot.aliases = f"label {text}", [*spot.aliases, f"alias {text}"]
        spot.within = f"within {text}" if spot.kind != "place" else spot.within
    geo.spots[REGION] = Spot(REGION, "region", f"region {text}", [], list(geo.links))
    return geo
