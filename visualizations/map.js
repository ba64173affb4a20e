/* evalkg map: draws the JSON of #evalkg-data on the countries of #evalkg-world
 * (Natural Earth, TopoJSON) with Leaflet, offline: no tile layer, no image.
 *
 * Record text is hostile: every string from the data reaches the page through
 * textContent or input values, never innerHTML; Leaflet tooltips and cluster icons get
 * DOM elements, not strings; a link is made only from an http(s) URL, or from the map's
 * own --views pattern. window.evalkg holds the Leaflet map, helpers (search, focusSpot,
 * showDetails, drawnMarkers, setMeasure) and load timings.
 */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("evalkg-data").textContent);
  var world = JSON.parse(document.getElementById("evalkg-world").textContent);
  var spots = data.spots;
  var palette = data.palette;
  var timings = { parsed: performance.now() - started };
  var api = window.evalkg = { data: data, timings: timings, ready: false };
  var KIND = { country: "Country", place: "Place", office: "ILO office", region: "Region" };
  var TYPES = data.types;

  var shared = window.evalkgPage; /* page.js */
  var el = shared.el;
  var safeHref = shared.safeHref;
  var fold = shared.fold;

  var numbers = new Intl.NumberFormat("en");
  function fmt(value) { return numbers.format(value); }
  function plural(n, one, many) { return fmt(n) + " " + (n === 1 ? one : many); }

  var root = document.documentElement.style;
  ["place", "office", "sea", "none", "focus"].forEach(function (key) {
    root.setProperty("--" + key, palette[key]);
  });
  root.setProperty("--shade", palette.scale[Math.floor(palette.scale.length / 2)]);

  /* ---- the measure and its scale ---- */
  var measure = 0;
  var byCode = new Map();
  spots.forEach(function (spot, i) {
    if (spot.kind === "country" && spot.code) byCode.set(spot.code, i);
  });

  /* class upper bounds, lowest first: 1..max in at most as many classes as colours,
     growing geometrically so that a few large countries do not flatten the rest */
  function classes() {
    var max = 0;
    byCode.forEach(function (i) { max = Math.max(max, spots[i].n[measure]); });
    var bounds = [];
    for (var k = 1; k <= palette.scale.length && max > 0; k++) {
      var bound = Math.max(1, Math.round(Math.pow(max, k / palette.scale.length)));
      if (!bounds.length || bound > bounds[bounds.length - 1]) bounds.push(bound);
    }
    return bounds;
  }
  var bounds = classes();

  function colourOfClass(j) {
    var last = palette.scale.length - 1;
    var at = bounds.length === 1 ? last : Math.round(j * last / (bounds.length - 1));
    return palette.scale[at];
  }

  function colourOf(value) {
    if (!value) return palette.none;
    for (var j = 0; j < bounds.length; j++) if (value <= bounds[j]) return colourOfClass(j);
    return colourOfClass(bounds.length - 1);
  }

  function buildScale() {
    var list = document.getElementById("scale");
    list.replaceChildren();
    var counts = bounds.map(function () { return 0; });
    byCode.forEach(function (i) {
      var value = spots[i].n[measure];
      for (var j = 0; j < bounds.length; j++) if (value && value <= bounds[j]) { counts[j]++; break; }
    });
    bounds.forEach(function (bound, j) {
      var low = j === 0 ? 1 : bounds[j - 1] + 1;
      var item = el("li");
      var swatch = el("span", null, "swatch");
      swatch.style.background = colourOfClass(j);
      item.append(swatch, el("span", low === bound ? fmt(bound) : fmt(low) + "–" + fmt(bound)),
        el("span", plural(counts[j], "country", "countries"), "count"));
      list.appendChild(item);
    });
    var none = el("li");
    var blank = el("span", null, "swatch");
    blank.style.background = palette.none;
    none.append(blank, el("span", "none"));
    list.appendChild(none);
    document.getElementById("measure-name").textContent = data.measures[measure];
  }

  /* ---- the map and its countries ---- */
  var map = L.map("map", { preferCanvas: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.25 });
  map.attributionControl.addAttribution("Countries: Natural Earth, via world-atlas");
  var WORLD = [[-56, -168], [76, 180]];
  map.fitBounds(WORLD);
  api.map = map;

  var countryLayers = new Map();
  var selected = null;

  function countryStyle(feature) {
    var i = byCode.get(feature.id);
    var value = i === undefined ? 0 : spots[i].n[measure];
    var chosen = i !== undefined && i === selected;
    return {
      fillColor: colourOf(value), fillOpacity: 1, color: chosen ? "#111111" : palette.border,
      weight: chosen ? 2 : 0.5
    };
  }

  function countryTip(feature) {
    var i = byCode.get(feature.id);
    var box = el("div");
    box.appendChild(el("strong", i === undefined ? feature.properties.name : spots[i].label));
    box.appendChild(el("div", i === undefined ? "no finding" : measures(spots[i])));
    return box;
  }

  /* Natural Earth cuts the shapes that cross the antimeridian at ±180° but keeps some in
     one ring (Russia, Fiji): drawn flat, such a ring would cross the world from +180° to
     -180°. Each ring is unwrapped to stay continuous (Russia's east runs past 180°).
     Antarctica (010), where no evaluation takes place, is left out. */
  function unwrap(ring) {
    var out = [], shift = 0;
    ring.forEach(function (point, k) {
      var lon = point[0] + shift;
      if (k > 0 && Math.abs(lon - out[k - 1][0]) > 180) {
        var step = lon > out[k - 1][0] ? -360 : 360;
        shift += step;
        lon += step;
      }
      out.push([lon, point[1]]);
    });
    return out;
  }

  function shapes() {
    return topojson.feature(world, world.objects.countries).features.filter(function (feature) {
      return feature.id !== "010";
    }).map(function (feature) {
      var geometry = feature.geometry;
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      polygons = polygons.map(function (rings) { return rings.map(unwrap); });
      feature.geometry = { type: "MultiPolygon", coordinates: polygons };
      return feature;
    });
  }

  var countries = L.geoJSON(shapes(), {
    style: countryStyle,
    onEachFeature: function (feature, layer) {
      var i = byCode.get(feature.id);
      if (i !== undefined) countryLayers.set(i, layer);
      layer.bindTooltip(function () { return countryTip(feature); }, { sticky: true });
      layer.on("click", function () {
        if (i !== undefined) showDetails(i); else showEmpty(feature.properties.name);
      });
    }
  }).addTo(map);
  timings.countries = performance.now() - started;

  /* ---- places and offices: markers sized by findings, clustered ---- */
  var markers = new Map();
  var ofKind = { place: [], office: [] };
  var largest = 1;
  spots.forEach(function (spot) {
    if (spot.kind === "place" || spot.kind === "office") largest = Math.max(largest, spot.n[0]);
  });

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = Math.round(28 + 8 * Math.min(3, Math.log10(count)));
    var label = el("span", fmt(count), "cluster-count");
    label.dataset.count = String(count);
    return L.divIcon({ html: label, className: "cluster", iconSize: L.point(size, size) });
  }

  var clusters = L.markerClusterGroup({
    chunkedLoading: true, animate: false, showCoverageOnHover: false, maxClusterRadius: 40,
    spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon,
    chunkProgress: function (done, total) { if (done === total) markersAdded(); }
  });

  function markerTip(i) {
    var spot = spots[i];
    var box = el("div");
    box.appendChild(el("strong", spot.label));
    box.appendChild(el("div", KIND[spot.kind] + (spot.within ? " · " + spot.within : "")));
    box.appendChild(el("div", plural(spot.n[0], "finding", "findings")));
    return box;
  }

  spots.forEach(function (spot, i) {
    if (!ofKind[spot.kind] || spot.lat === null || spot.lon === null) return;
    var size = Math.round(10 + 22 * Math.sqrt(spot.n[0] / largest));
    var icon = L.divIcon({
      className: "spot " + spot.kind + (spot.focus ? " focus" : ""), iconSize: [size, size]
    });
    var marker = L.marker([spot.lat, spot.lon], { icon: icon, keyboard: false, riseOnHover: true });
    marker.spotIndex = i;
    marker.bindTooltip(function () { return markerTip(i); }, { direction: "top", offset: [0, -size / 2] });
    marker.on("click", function () { showDetails(i); });
    markers.set(i, marker);
    ofKind[spot.kind].push(marker);
  });
  document.getElementById("count-places").textContent = fmt(ofKind.place.length);
  document.getElementById("count-offices").textContent = fmt(ofKind.office.length);

  function markersAdded() {
    if (timings.markers !== undefined) return;  // later additions: a layer shown again
    timings.markers = performance.now() - started;
    if (data.focus.length) focusSpot(data.focus[0]);
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        timings.drawn = performance.now() - started;
        timings.drawnAt = performance.now();  // since navigation start
        api.ready = true;
      });
    });
  }

  /* ---- the details panel ---- */
  var details = document.getElementById("details");

  function measures(spot) {
    return plural(spot.n[0], "finding", "findings") + " · " +
      plural(spot.n[1], "evaluation", "evaluations") + " · " +
      plural(spot.n[2], "organization", "organizations");
  }

  function kindLine(spot) {
    if (spot.kind === "country") return "Country: where these findings took place";
    if (spot.kind === "place") return "Place" + (spot.within ? " in " + spot.within : "") + ", named in these findings";
    if (spot.kind === "office") return "ILO office" + (spot.within ? ", seat: " + spot.within : "") + "; named in or addressed by these findings";
    return "Region: regional or inter-regional findings, with no country";
  }

  function findingItem(index) {
    var finding = data.findings[index];
    var item = el("li");
    var href = safeHref(finding[3]);
    var title = finding[1] || finding[0];
    if (href) {
      var link = el("a", title);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      item.appendChild(link);
    } else {
      item.appendChild(el("span", title));
    }
    var about = TYPES[finding[4]] || "finding";
    if (finding[2] !== null && finding[2] !== undefined) {
      var evaluation = data.evaluations[finding[2]];
      about += " · " + (evaluation[1] || evaluation[0]) + (evaluation[2] ? " (" + evaluation[2] + ")" : "");
    }
    item.appendChild(el("div", about, "eval"));
    return item;
  }

  function section(title, items, total, className) {
    var fragment = document.createDocumentFragment();
    fragment.appendChild(el("h3", title));
    var list = el("ol", null, className);
    items.forEach(function (item) { list.appendChild(item); });
    fragment.appendChild(list);
    if (total > items.length) fragment.appendChild(el("p", "… and " + fmt(total - items.length) + " more.", "hint"));
    return fragment;
  }

  function networkLink(spot) {
    var network = data.networkOf[spot.kind];
    var box = el("p", null, "network");
    if (data.views) {
      var link = el("a", "Network view around " + spot.label);
      link.href = data.views.split("{network}").join(network) + "#focus=" + encodeURIComponent(spot.id);
      box.appendChild(link);
    } else {
      box.append(el("span", "Network view: "),
        el("code", "evalkg view --network " + network + " --focus " + spot.id + " -o " + network + ".html"));
    }
    return box;
  }

  function showDetails(i) {
    var spot = spots[i];
    if (!spot) return;
    details.replaceChildren();
    details.appendChild(el("h2", spot.label));
    details.appendChild(el("p", kindLine(spot), "meta"));
    if (spot.aliases.length) details.appendChild(el("p", "also: " + spot.aliases.join(", "), "meta"));
    details.appendChild(el("p", measures(spot), "measures"));
    details.appendChild(networkLink(spot));
    details.appendChild(section("Findings (" + fmt(spot.n[0]) + ")", spot.f.map(findingItem), spot.n[0], "findings"));
    if (spot.orgs.length) {
      details.appendChild(section("Organizations", spot.orgs.map(function (pair) {
        var item = el("li", data.organizations[pair[0]][1]);
        item.appendChild(el("span", " — " + fmt(pair[1]), "eval"));
        return item;
      }), spot.n[2], "organizations"));
    }
    if (spot.ties.length) {
      details.appendChild(section("Strongest ties", spot.ties.map(function (pair) {
        var other = spots[pair[0]];
        var item = el("li");
        var button = el("button", other.label, "tie");
        button.type = "button";
        button.addEventListener("click", function () { focusSpot(pair[0]); });
        item.append(button, el("span", " " + KIND[other.kind].toLowerCase() + " — " +
          plural(pair[1], "shared finding", "shared findings"), "eval"));
        return item;
      }), spot.ties.length, "ties"));
    }
    details.appendChild(el("p", spot.id, "meta iri"));
    details.hidden = false;
    select(i);
  }

  function showEmpty(name) {
    details.replaceChildren(el("h2", name), el("p", "No finding applies to this country.", "meta"));
    details.hidden = false;
    select(null);
  }

  function select(i) {
    var before = selected;
    selected = i;
    [before, i].forEach(function (j) {
      var layer = countryLayers.get(j);
      if (layer) layer.setStyle(countryStyle(layer.feature));
      var icon = markers.has(j) ? markers.get(j).getElement() : null;
      if (icon) icon.classList.toggle("selected", j === i);
    });
  }

  /* ---- layers, search, focus ---- */
  var shown = { place: true, office: true };

  function setLayer(kind, on) {
    if (kind === "country") {
      if (on) countries.addTo(map); else map.removeLayer(countries);
      return;
    }
    if (shown[kind] === on) return;
    shown[kind] = on;
    if (on) clusters.addLayers(ofKind[kind]); else clusters.removeLayers(ofKind[kind]);
    document.getElementById(kind === "place" ? "layer-places" : "layer-offices").checked = on;
  }

  /* centre the marker; if it is still in a cluster there (places a few km apart, an
     office in a city the findings name), spread that cluster's markers around it */
  function showMarker(marker) {
    map.setView(marker.getLatLng(), Math.max(map.getZoom(), 7), { animate: false });
    var parent = clusters.getVisibleParent(marker);
    if (parent && parent !== marker && parent.spiderfy) parent.spiderfy();
  }

  function focusSpot(i) {
    var spot = spots[i];
    if (!spot) return false;
    if (spot.kind === "country" && countryLayers.has(i)) {
      map.fitBounds(countryLayers.get(i).getBounds(), { maxZoom: 6, padding: [20, 20] });
    } else if (markers.has(i)) {
      setLayer(spot.kind, true);
      showMarker(markers.get(i));
    }
    showDetails(i);
    return true;
  }

  var searchKeys = spots.map(function (spot) {
    return [fold(spot.label)].concat(spot.aliases.map(fold));
  });

  function search(query, limit) {
    var q = fold(query.trim());
    if (!q) return [];
    var found = [];
    spots.forEach(function (spot, i) {
      var best = 9, via = null;
      searchKeys[i].forEach(function (key, k) {
        var rank = key === q ? 0 : key.indexOf(q) === 0 ? 1 : key.indexOf(q) > 0 ? 2 : 9;
        if (rank < best) { best = rank; via = k === 0 ? null : spot.aliases[k - 1]; }
      });
      if (best < 9) found.push({ index: i, spot: spot, rank: best, via: via });
    });
    found.sort(function (a, b) { return a.rank - b.rank || b.spot.n[0] - a.spot.n[0] || a.index - b.index; });
    return found.slice(0, limit || 10);
  }

  shared.suggest(document.getElementById("search"), document.getElementById("suggestions"), search,
    function (hit) {
      return {
        label: hit.spot.label,
        sub: (hit.via ? "“" + hit.via + "” · " : "") + KIND[hit.spot.kind] +
          (hit.spot.within ? " · " + hit.spot.within : ""),
        choose: function () { focusSpot(hit.index); }
      };
    });

  function setMeasure(value) {
    measure = Number(value) || 0;
    bounds = classes();
    countries.setStyle(countryStyle);
    buildScale();
  }

  function buildRegions() {
    var list = document.getElementById("region-list");
    spots.forEach(function (spot, i) {
      if (spot.kind !== "region") return;
      var item = el("li");
      var button = el("button", spot.label, "tie");
      button.type = "button";
      button.addEventListener("click", function () { showDetails(i); });
      item.append(button, el("span", " — " + plural(spot.n[0], "finding", "findings"), "eval"));
      list.appendChild(item);
    });
    if (!list.children.length) list.appendChild(el("li", "none", "hint"));
  }

  /* ---- wiring ---- */
  document.getElementById("measure").addEventListener("change", function (event) {
    setMeasure(event.target.value);
  });
  document.getElementById("fit").addEventListener("click", function () { map.fitBounds(WORLD); });
  [["layer-countries", "country"], ["layer-places", "place"], ["layer-offices", "office"]].forEach(function (pair) {
    document.getElementById(pair[0]).addEventListener("change", function (event) {
      setLayer(pair[1], event.target.checked);
    });
  });
  buildScale();
  buildRegions();
  map.addLayer(clusters);
  var all = ofKind.place.concat(ofKind.office);
  clusters.addLayers(all);
  if (!all.length) markersAdded();

  api.clusters = clusters;
  api.markers = markers;
  api.search = search;
  api.focusSpot = focusSpot;
  api.showDetails = showDetails;
  api.setMeasure = setMeasure;
  api.setLayer = setLayer;
  api.classes = function () { return bounds.slice(); };
  api.colourOf = function (i) { return colourOf(spots[i].n[measure]); };
  /* markers on the map now: single markers, plus the markers inside each cluster drawn */
  api.drawnMarkers = function () {
    var count = 0;
    document.querySelectorAll("#map .leaflet-marker-icon").forEach(function (icon) {
      var inner = icon.querySelector(".cluster-count");
      count += inner ? Number(inner.dataset.count) : 1;
    });
    return count;
  };
})();
