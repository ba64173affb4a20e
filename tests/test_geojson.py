"""The GeoJSON export (kg.publish.geojson): RFC 7946 points for places, ILO offices and
countries, each with its IRI and counts of findings, checked on the bundled sample."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import geojson
import pytest

from kg.errors import ConfigError
from kg.publish.geojson import (
    KINDS,
    GeoData,
    centroid,
    country_centroids,
    export_geojson,
    geo_features,
)
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore

ID = "https://w3id.org/evalkg/id/"
#: Chile's extent (mainland and islands near it), longitude and latitude.
CHILE = ((-76.0, -66.0), (-56.0, -17.0))


@pytest.fixture(scope="module")
def sample_geo(sample_store: EvalStore, tmp_path_factory: pytest.TempPathFactory) -> GeoData:
    path = tmp_path_factory.mktemp("geo") / "map.geojson"
    data = export_geojson(sample_store, path)
    assert json.loads(path.read_text(encoding="utf-8")) == data.collection
    return data


def features(data: GeoData) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in data.collection["features"]}


def test_geojson_is_valid_rfc_7946(sample_geo: GeoData) -> None:
    """The acceptance of issue 22: GeoJSON validates (coordinates in range, each feature
    with its IRI)."""
    parsed = geojson.loads(sample_geo.text())
    assert parsed.is_valid, parsed.errors()
    doc = sample_geo.collection
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert set(sample_geo.counts) == set(KINDS) and all(sample_geo.counts.values())
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert feature["id"] == feature["properties"]["iri"]
        assert feature["id"].startswith(ID)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
        lon, lat = geometry["coordinates"]
        assert math.isfinite(lon) and math.isfinite(lat)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert props["kind"] in KINDS and props["label"]
        assert props["findings"] >= 1 and 1 <= props["evaluations"] <= props["findings"]


def test_chile_santiago_and_its_office(sample_geo: GeoData, sample_store: EvalStore) -> None:
    found = features(sample_geo)
    chile = found[ID + "country/CHL"]
    (west, east), (south, north) = CHILE
    lon, lat = chile["geometry"]["coordinates"]
    assert west < lon < east and south < lat < north  # longitude first (RFC 7946)
    assert chile["properties"]["label"] == "Chile" and chile["properties"]["kind"] == "country"
    santiago = found[ID + "place/geonames-3871336"]
    assert santiago["geometry"]["coordinates"] == [-70.64827, -33.45694]  # the graph's
    assert santiago["properties"]["country"] == "CHL"
    office = found[ID + "unit/dwt-co-santiago"]["properties"]
    assert office["kind"] == "office" and office["country"] == "CHL"
    pudahuel = found[ID + "place/CHL-pudahuel"]  # a curated place (ontology/places.ttl)
    assert pudahuel["geometry"]["coordinates"] == [-70.76, -33.44]
    # counts: the findings that link to Santiago, counted by SPARQL
    query = f"""PREFIX ek: <https://w3id.org/evalkg/ontology#>
        SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          VALUES ?t {{ ek:Lesson ek:GoodPractice ek:Recommendation }}
          ?f a ?t ; ?p <{ID}place/geonames-3871336> }}"""
    counted = int(run_query(sample_store, query).rows[0][0].value)
    assert santiago["properties"]["findings"] == counted >= 1


def test_an_office_whose_seat_no_record_names_is_placed_by_geonames(
    sample_geo: GeoData,
) -> None:
    """Moscow's office: the graph has no coordinates for Moscow (no record names the
    city), so its seat's GeoNames id places it."""
    moscow = features(sample_geo)[ID + "unit/dwt-co-moscow"]
    lon, lat = moscow["geometry"]["coordinates"]
    assert abs(lon - 37.62) < 0.1 and abs(lat - 55.75) < 0.1


def test_what_has_no_point_is_left_out_and_said(sample_geo: GeoData) -> None:
    """ISO 3166-2 subdivisions have no coordinates; headquarters departments (ILO units
    without a seat) are no offices; regions are no points."""
    assert sample_geo.left_out
    assert all(why.endswith("without coordinates") for why in sample_geo.left_out.values())
    assert ID + "place/iso-PK-BA" in sample_geo.left_out
    found = features(sample_geo)
    assert ID + "unit/skills" not in found and ID + "unit/skills" not in sample_geo.left_out
    assert not [iri for iri in found if "/region/" in iri]


def test_filters_choose_the_findings(sample_store: EvalStore, sample_geo: GeoData) -> None:
    chile = geo_features(sample_store, filters={"country": "Chile"})
    whole = features(sample_geo)
    assert ID + "country/CHL" in features(chile)
    for iri, feature in features(chile).items():
        assert feature["properties"]["findings"] <= whole[iri]["properties"]["findings"]
    assert len(chile.collection["features"]) < len(whole)
    with pytest.raises(ConfigError) as info:
        geo_features(sample_store, filters={"city": "Lima"})
    assert info.value.value == "city"


def test_export_geojson_says_where_it_cannot_write(sample_store: EvalStore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        export_geojson(sample_store, tmp_path / "missing" / "map.geojson")
    assert info.value.path == str(tmp_path / "missing" / "map.geojson")


def test_centroid_is_taken_on_the_sphere() -> None:
    """Two towns on either side of the antimeridian average to it, not to Greenwich; the
    larger town pulls the point to it."""
    lon, lat = centroid([(-17.0, 179.0, 1000), (-17.0, -179.0, 1000)])
    assert abs(abs(lon) - 180.0) < 1e-6 and abs(lat + 17.0) < 0.01
    lon, _ = centroid([(0.0, 10.0, 3000), (0.0, 20.0, 1000)])
    assert 12.0 < lon < 13.0


def test_every_country_centroid_is_in_range() -> None:
    centres = country_centroids()
    assert len(centres) > 240
    for code, (lon, lat) in centres.items():
        assert -180 <= lon <= 180 and -90 <= lat <= 90, code
    lon, lat = centres["FJI"]  # across the antimeridian
    assert abs(lon) > 175 and -20 < lat < -15
