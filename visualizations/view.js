/* evalkg network view: draws the JSON of #evalkg-data with vis-network.
 *
 * Record text is hostile: every string from the data reaches the page through
 * textContent, input values or vis-network's canvas labels and plain-text tooltips,
 * never through innerHTML; a link is made only from an http(s) URL.
 * The vis-network instance is window.network; window.evalkg holds helpers
 * (search, focusNode, showDetails) and load timings.
 */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("evalkg-data").textContent);
  var rows = data.nodes;
  var rowById = new Map();
  rows.forEach(function (row) { rowById.set(row.id, row); });
  var large = rows.length > 1500;
  var timings = { parsed: performance.now() - started };
  var api = window.evalkg = { data: data, timings: timings, ready: false };

  var shared = window.evalkgPage; /* page.js */
  var el = shared.el;
  var safeHref = shared.safeHref;
  var fold = shared.fold;

  /* a query found as whole words: no letter or digit (of any script) may go on
     either side of a query that starts or ends with one ("OIT" is not in "exploitation") */
  var WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
  function wholeWords(query) {
    var chars = Array.from(query);  // code points, not UTF-16 halves
    var body = query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var head = WORD_CHAR.test(chars[0]) ? "(?<![\\p{L}\\p{N}\\p{M}])" : "";
    var tail = WORD_CHAR.test(chars[chars.length - 1]) ? "(?![\\p{L}\\p{N}\\p{M}])" : "";
    return new RegExp(head + body + tail, "u");
  }

  var numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 3 });
  function fmt(value) {
    return typeof value === "number" ? numbers.format(value) : String(value);
  }

  function categoryOf(row) { return data.categories[row.cat]; }

  function colourFor(row, mode) {
    var colour = mode === "community"
      ? data.communityColors[row.community % data.communityColors.length]
      : categoryOf(row).color;
    return {
      background: colour,
      border: ringed(row) ? "#222222" : colour,
      highlight: { background: colour, border: "#000000" },
      hover: { background: colour, border: "#000000" }
    };
  }

  /* the ring marks brokers between communities (all brokers when the data does not say) */
  function ringed(row) {
    return row.broker && (!row.brokerVia || row.brokerVia.indexOf("communities") >= 0);
  }

  function kindText(row) {
    var category = categoryOf(row);
    return category ? category.label : row.type;
  }

  /* "Trade union · Chile": the kind, and the countries of an organization or a place */
  function kindAndCountries(row) {
    return [kindText(row)].concat(row.countries).join(" · ");
  }

  function tooltip(row) {
    var lines = [row.label, kindAndCountries(row) + " · " + fmt(row.nLessons) +
      " lesson(s) · " + fmt(row.degree) + " tie(s)"];
    if (row.aliases.length) lines.push("also: " + row.aliases.slice(0, 6).join(", "));
    return lines.join("\n");
  }

  function visNode(row) {
    return {
      id: row.id, label: row.short, title: tooltip(row), x: row.x, y: row.y,
      size: row.size, color: colourFor(row, "type"),
      borderWidth: ringed(row) ? Math.max(1.5, Math.min(4, row.size * 0.2)) : 1,
      shape: categoryOf(row).shape, font: { size: row.font }
    };
  }

  var maxWeight = data.edges.reduce(function (m, e) { return Math.max(m, e[2]); }, 1);
  function visEdge(edge, i) {
    var a = rows[edge[0]], b = rows[edge[1]];
    return {
      id: i, from: a.id, to: b.id,
      width: 0.4 + 2.2 * Math.log1p(edge[2]) / Math.log1p(maxWeight),
      title: a.label + " — " + b.label + "\n" + fmt(edge[2]) + " shared lesson(s), " +
        fmt(edge[3]) + " shared evaluation(s)"
    };
  }

  var nodes = new vis.DataSet(rows.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  timings.dataset = performance.now() - started;

  /* lighter edges as there are more of them, so dense views do not turn grey */
  var edgeAlpha = Math.max(0.08, Math.min(0.3, 0.3 * Math.sqrt(600 / Math.max(data.edges.length, 1))));
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: {
      enabled: data.physics,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -35, springLength: 70, springConstant: 0.04, avoidOverlap: 0.5 },
      stabilization: { enabled: true, iterations: 120, fit: true }
    },
    interaction: {
      hover: true, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
      multiselect: false, keyboard: false
    },
    nodes: {
      shape: "dot",
      font: {
        color: "#1d1d1d", face: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
        strokeWidth: 3, strokeColor: "#ffffff"
      },
      scaling: { label: { enabled: false, drawThreshold: data.labelThreshold, maxVisible: data.labelMaxPx } }
    },
    edges: {
      smooth: false, selectionWidth: 1.5, hoverWidth: 0.8,
      color: {
        color: "rgba(110,120,135," + edgeAlpha.toFixed(3) + ")",
        highlight: "rgba(30,40,60,0.85)", hover: "rgba(30,40,60,0.6)"
      }
    }
  };

  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.network = network;
  timings.network = performance.now() - started;
  /* The labels chosen to show at first sight (font data.labelFont) show at the fitted
     zoom and the others do not, whatever the canvas size: the threshold sits between
     the two sizes on screen. The others show as the user zooms in. */
  var hiddenFont = rows.reduce(function (m, row) {
    return row.font < data.labelFont ? Math.max(m, row.font) : m;
  }, 0);
  function fitLabels() {
    var scale = network.getScale();
    var threshold = Math.min(data.labelFont * scale,
      Math.max(data.labelThreshold, hiddenFont * scale + 1.5));
    network.setOptions({ nodes: { scaling: { label: { drawThreshold: threshold } } } });
    api.labelThreshold = threshold;
  }
  network.once("afterDrawing", function () {
    timings.drawn = performance.now() - started;
    timings.drawnAt = performance.now();  // since navigation start
    fitLabels();
    network.once("afterDrawing", function () { api.ready = true; });
    network.redraw();
  });
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      document.getElementById("physics").checked = false;
      fitLabels();
    });
  }

  /* ---- legend and type filters ---- */
  var GLYPHS = {
    dot: "\u25CF", diamond: "\u25C6", triangle: "\u25B2", square: "\u25A0", star: "\u2605",
    hexagon: "\u2B22", triangleDown: "\u25BC"
  };
  var hiddenCategories = new Set();
  var colourMode = "type";

  function applyFilters() {
    nodes.update(rows.map(function (row) {
      return { id: row.id, hidden: hiddenCategories.has(row.cat) };
    }));
  }

  function buildLegend() {
    var list = document.getElementById("types");
    data.categories.forEach(function (category, i) {
      var item = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.category = String(i);
      box.addEventListener("change", function () {
        if (box.checked) hiddenCategories.delete(i); else hiddenCategories.add(i);
        applyFilters();
      });
      var swatch = el("span", GLYPHS[category.shape] || GLYPHS.dot, "swatch");
      swatch.style.color = category.color;
      label.append(box, swatch, el("span", category.label), el("span", fmt(category.count), "count"));
      item.appendChild(label);
      list.appendChild(item);
    });
  }

  /* colour by community: the legend lists the communities (their colour, their most
     central node, their size) and the types keep their shapes only */
  var NEUTRAL = "#8a8a8a";
  function buildCommunityLegend() {
    var list = document.getElementById("communities");
    var byCommunity = new Map();
    rows.forEach(function (row) {
      var entry = byCommunity.get(row.community);
      if (!entry) byCommunity.set(row.community, entry = { lead: row, count: 0 });
      entry.count += 1;
      if (row.wdeg > entry.lead.wdeg) entry.lead = row;
    });
    Array.from(byCommunity.keys()).sort(function (a, b) {
      return byCommunity.get(b).count - byCommunity.get(a).count || a - b;
    }).forEach(function (community) {
      var entry = byCommunity.get(community);
      var item = el("li");
      item.dataset.community = String(community);
      var swatch = el("span", GLYPHS.dot, "swatch");
      swatch.style.color = colourFor(entry.lead, "community").background;
      item.append(swatch, el("span", "Community " + fmt(community) + ": " + entry.lead.label),
        el("span", fmt(entry.count), "count"));
      list.appendChild(item);
    });
  }

  function setColourMode(mode) {
    colourMode = mode;
    nodes.update(rows.map(function (row) { return { id: row.id, color: colourFor(row, mode) }; }));
    document.getElementById("communities").hidden = mode !== "community";
    document.querySelectorAll("#types .swatch").forEach(function (swatch, i) {
      swatch.style.color = mode === "community" ? NEUTRAL : data.categories[i].color;
    });
  }

  /* ---- details panel ---- */
  var details = document.getElementById("details");

  function lessonItem(index) {
    var lesson = data.lessons[index];
    var item = el("li");
    var href = safeHref(lesson[3]);
    var title = lesson[1] || lesson[0];
    if (href) {
      var link = el("a", title);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      item.appendChild(link);
    } else {
      item.appendChild(el("span", title));
    }
    if (lesson[2] !== null && lesson[2] !== undefined) {
      item.appendChild(el("div", data.evaluations[lesson[2]][1], "eval"));
    }
    return item;
  }

  function lessonList(indexes, total) {
    var section = document.createDocumentFragment();
    section.appendChild(el("h3", "Lessons (" + fmt(total) + ")"));
    var list = el("ol", null, "lessons");
    indexes.forEach(function (i) { list.appendChild(lessonItem(i)); });
    section.appendChild(list);
    if (total > indexes.length) section.appendChild(el("p", "… and " + fmt(total - indexes.length) + " more.", "hint"));
    return section;
  }

  function metricList(row) {
    var list = el("dl");
    [["ties", fmt(row.degree)], ["shared lessons (weighted degree)", fmt(row.wdeg)],
     ["betweenness", row.betweenness.toFixed(4)], ["community", fmt(row.community)],
     ["broker", row.broker ? "yes" + (row.brokerVia ? ": between " + row.brokerVia : "") : "no"]].forEach(function (pair) {
      list.append(el("dt", pair[0]), el("dd", pair[1]));
    });
    return list;
  }

  function tieList(row) {
    var fragment = document.createDocumentFragment();
    fragment.appendChild(el("h3", "Strongest ties"));
    var list = el("ol", null, "ties");
    row.ties.forEach(function (tie) {
      var other = rows[tie[0]];
      var item = el("li");
      var button = el("button", other.label, "tie");
      button.type = "button";
      button.addEventListener("click", function () { focusNode(other.id); });
      item.append(button, el("span", " — " + fmt(tie[1]), "eval"));
      list.appendChild(item);
    });
    fragment.appendChild(list);
    return fragment;
  }

  function showDetails(id) {
    var row = rowById.get(id);
    if (!row) return;
    details.replaceChildren();
    details.appendChild(el("h2", row.label));
    var meta = kindAndCountries(row) +
      (row.aliases.length ? " · also " + row.aliases.join(", ") : "");
    details.appendChild(el("p", meta, "meta"));
    if (row.coordinates) {
      details.appendChild(el("p", "Coordinates: " + row.coordinates[0].toFixed(5) + ", " +
        row.coordinates[1].toFixed(5) + " (latitude, longitude)", "meta coordinates"));
    }
    details.appendChild(el("p", row.id, "meta"));
    details.appendChild(metricList(row));
    details.appendChild(lessonList(row.lessons, row.nLessons));
    if (row.ties.length) details.appendChild(tieList(row));
    details.hidden = false;
  }

  function showEdgeDetails(edgeId) {
    var edge = data.edges[edgeId];
    if (!edge) return;
    details.replaceChildren();
    details.appendChild(el("h2", rows[edge[0]].label + " — " + rows[edge[1]].label));
    details.appendChild(el("p", fmt(edge[2]) + " shared lesson(s), " + fmt(edge[3]) + " shared evaluation(s)", "meta"));
    details.appendChild(lessonList(edge[4], edge[5]));
    details.hidden = false;
  }

  function focusNode(id) {
    var row = rowById.get(id);
    if (!row) return false;
    if (hiddenCategories.has(row.cat)) {
      hiddenCategories.delete(row.cat);
      var box = document.querySelector('#types input[data-category="' + row.cat + '"]');
      if (box) box.checked = true;
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showDetails(id);
    return true;
  }

  /* ---- search ---- */
  var searchKeys = rows.map(function (row) {
    return [fold(row.label)].concat(row.aliases.map(fold));
  });

  /* a name equal to the query first, then names it starts (as one types), then names
     holding it as whole words */
  function search(query, limit) {
    var q = fold(query.trim());
    if (!q) return [];
    var words = wholeWords(q);
    var found = [];
    rows.forEach(function (row, i) {
      var best = 9, via = null;
      searchKeys[i].forEach(function (key, k) {
        var rank = key === q ? 0 : key.indexOf(q) === 0 ? 1 : words.test(key) ? 2 : 9;
        if (rank < best) { best = rank; via = k === 0 ? null : row.aliases[k - 1]; }
      });
      if (best < 9) found.push({ row: row, rank: best, via: via });
    });
    found.sort(function (a, b) { return a.rank - b.rank || b.row.wdeg - a.row.wdeg; });
    return found.slice(0, limit || 10);
  }

  shared.suggest(document.getElementById("search"), document.getElementById("suggestions"), search,
    function (hit) {
      return {
        label: hit.row.label,
        sub: (hit.via ? "“" + hit.via + "” · " : "") + kindText(hit.row),
        choose: function () { focusNode(hit.row.id); }
      };
    });

  /* ---- wiring ---- */
  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]);
    else if (params.edges.length) showEdgeDetails(params.edges[0]);
  });
  document.getElementById("colour-by").addEventListener("change", function (event) {
    setColourMode(event.target.value);
  });
  var physicsBox = document.getElementById("physics");
  physicsBox.checked = data.physics;
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit();
    fitLabels();
  });
  buildLegend();
  buildCommunityLegend();
  var focused = rows.filter(function (row) { return row.focus; });
  if (focused.length) {
    network.selectNodes(focused.map(function (row) { return row.id; }));
    showDetails(focused[0].id);
  }
  /* a link from the map (evalkg map --views) names a node: view.html#focus=<IRI> */
  var linked = /^#focus=(.+)$/.exec(window.location.hash);
  if (linked) {
    try { focusNode(decodeURIComponent(linked[1])); } catch (e) { /* not an IRI: ignored */ }
  }

  api.search = search;
  api.focusNode = focusNode;
  api.showDetails = showDetails;
  api.showEdgeDetails = showEdgeDetails;
  api.colourMode = function () { return colourMode; };
})();
