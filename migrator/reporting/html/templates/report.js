/* The interactive boundary view. Reads the JSON the report embeds, draws it with Cytoscape.js,
   and builds every text it shows with textContent: names from the monolith never become markup. */
(function () {
  "use strict";
  var started = performance.now();
  var report = window.__migratorReport = {
    ready: false, layoutMs: 0, layout: "", serviceNodes: 0, groupNodes: 0, moduleNodes: 0, edges: 0, error: "", steps: {}
  };
  function mark(step) { report.steps[step] = Math.round(performance.now() - started); }
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var groups = data.groups, units = data.units, kinds = data.kinds;
  var BIG = units.length > 1500;
  var CONTENT = [["models", "Models"], ["routes", "Routes"], ["tables", "Tables"],
                 ["publishes", "Publishes events"], ["subscribes", "Subscribes to events"], ["tasks", "Tasks"]];
  var LIST_CAP = 40;

  // -- the data, indexed -----------------------------------------------------------------------
  var members = groups.map(function () { return []; });
  units.forEach(function (u, i) { members[u.group].push(i); });
  var outgoing = units.map(function () { return []; });
  var incoming = units.map(function () { return []; });
  var unitPairs = [], groupPairs = [];
  (function indexEdges() {
    var byUnit = new Map(), byGroup = new Map(), n = units.length, g = groups.length;
    data.edges.forEach(function (e) {
      var a = e[0], b = e[1], k = e[2], w = e[3];
      outgoing[a].push([b, k, w]);
      incoming[b].push([a, k, w]);
      addTo(byUnit, unitPairs, a * n + b, a, b, k, w);
      var ga = units[a].group, gb = units[b].group;
      if (ga !== gb) addTo(byGroup, groupPairs, ga * g + gb, ga, gb, k, w);
    });
  })();

  function addTo(index, list, key, a, b, k, w) {
    var pair = index.get(key);
    if (!pair) {
      pair = { a: a, b: b, byKind: {} };
      index.set(key, pair);
      list.push(pair);
    }
    pair.byKind[k] = (pair.byKind[k] || 0) + w;
  }

  mark("indexed");
  var enabled = kinds.map(function (k) { return k !== "co_changes"; });

  function weightOf(pair) {
    var total = 0;
    for (var k in pair.byKind) if (enabled[k]) total += pair.byKind[k];
    return total;
  }

  function unitWidth(w) { return Math.min(8, 0.6 + 0.9 * Math.log2(1 + w)); }
  function groupWidth(w) { return Math.min(16, 1.5 + 1.6 * Math.log2(1 + w)); }

  // -- layouts: each group a block of its units on a grid; blocks placed by their ties --------
  // A group's name sits on a badge node at the top of its box, and the edges between groups join
  // the badges: with thousands of units, edges on the compound boxes themselves make every style
  // change of a unit revisit its box's edges.
  var CELL_W = 150, CELL_H = 48, BADGE_H = 40, GAP = 110;
  var blocks = members.map(function (list, g) {
    var cols = Math.max(1, Math.ceil(Math.sqrt(list.length * 1.2)));
    var rows = Math.max(1, Math.ceil(list.length / cols));
    return { cols: cols, w: Math.max(cols * CELL_W, badgeWidth(g)), h: BADGE_H + rows * CELL_H };
  });

  function badgeWidth(g) { return 24 + 8 * groups[g].name.length; }

  function positionsFor(centres) {
    var positions = { units: new Array(units.length), badges: [] };
    blocks.forEach(function (block, g) {
      var top = centres[g].y - block.h / 2, left = centres[g].x - (block.cols - 1) * CELL_W / 2;
      positions.badges.push({ x: centres[g].x, y: top + 10 });
      members[g].forEach(function (u, i) {
        positions.units[u] = { x: left + (i % block.cols) * CELL_W, y: top + BADGE_H + 6 + Math.floor(i / block.cols) * CELL_H };
      });
    });
    return positions;
  }

  function shelfCentres() {
    // blocks in drawing order, packed in rows about as wide as the whole is tall
    var area = blocks.reduce(function (s, b) { return s + (b.w + GAP) * (b.h + GAP); }, 0);
    var rowWidth = Math.max(Math.sqrt(area) * 1.4, blocks.reduce(function (m, b) { return Math.max(m, b.w); }, 0));
    var x = 0, y = 0, rowHeight = 0;
    return blocks.map(function (block) {
      if (x > 0 && x + block.w > rowWidth) { x = 0; y += rowHeight + GAP; rowHeight = 0; }
      var centre = { x: x + block.w / 2, y: y + block.h / 2 };
      x += block.w + GAP;
      rowHeight = Math.max(rowHeight, block.h);
      return centre;
    });
  }

  function withSeed(seed, run) {
    // the layouts draw on Math.random; a fixed seed gives the same picture on every load
    var saved = Math.random, state = seed >>> 0;
    Math.random = function () {
      state = (state + 0x6D2B79F5) >>> 0;
      var t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    try { return run(); } finally { Math.random = saved; }
  }

  function mapCentres() {
    // a force layout of the groups alone, sized as their blocks, then pushed apart where they overlap
    if (blocks.length < 2) return shelfCentres();
    var start = shelfCentres(), elements = [];
    blocks.forEach(function (b, g) {
      elements.push({ group: "nodes", data: { id: "b" + g, w: b.w + GAP / 2, h: b.h + GAP / 2 }, position: start[g] });
    });
    strongestTies(5).forEach(function (tie, i) {
      elements.push({ group: "edges", data: { id: "t" + i, source: "b" + tie[0], target: "b" + tie[1] } });
    });
    var headless = cytoscape({ headless: true, styleEnabled: true, elements: elements,
                               style: [{ selector: "node", style: { width: "data(w)", height: "data(h)", shape: "rectangle" } }] });
    mark("headless");
    withSeed(42, function () {
      headless.layout({ name: "fcose", animate: false, randomize: true, quality: "default", nodeRepulsion: function () { return 20000; },
                        idealEdgeLength: function () { return GAP * 2; }, gravity: 0.4, numIter: 2500, tile: true, packComponents: true }).run();
    });
    var centres = blocks.map(function (b, g) { var p = headless.getElementById("b" + g).position(); return { x: p.x, y: p.y }; });
    headless.destroy();
    mark("fcose");
    return separate(centres);
  }

  function strongestTies(perGroup) {
    // each group's few heaviest ties, either direction: enough to place it near its partners
    var totals = new Map(), g = groups.length;
    groupPairs.forEach(function (p) {
      var key = Math.min(p.a, p.b) * g + Math.max(p.a, p.b);
      totals.set(key, (totals.get(key) || 0) + weightOf(p));
    });
    var byGroup = groups.map(function () { return []; });
    totals.forEach(function (w, key) {
      var a = Math.floor(key / g), b = key % g;
      byGroup[a].push([w, b]);
      byGroup[b].push([w, a]);
    });
    var kept = new Set();
    byGroup.forEach(function (list, a) {
      list.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
      list.slice(0, perGroup).forEach(function (t) { kept.add(Math.min(a, t[1]) * g + Math.max(a, t[1])); });
    });
    return Array.from(kept).sort(function (x, y) { return x - y; }).map(function (key) { return [Math.floor(key / g), key % g]; });
  }

  function viewportFor(centres) {
    // what cy.fit would give, from the blocks' extent: fitting thousands of labelled nodes is slow
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    blocks.forEach(function (b, g) {
      x1 = Math.min(x1, centres[g].x - b.w / 2); x2 = Math.max(x2, centres[g].x + b.w / 2);
      y1 = Math.min(y1, centres[g].y - b.h / 2 - 30); y2 = Math.max(y2, centres[g].y + b.h / 2);
    });
    var box = document.getElementById("cy").getBoundingClientRect(), pad = 40;
    var zoom = Math.min((box.width - 2 * pad) / Math.max(1, x2 - x1), (box.height - 2 * pad) / Math.max(1, y2 - y1));
    zoom = Math.max(0.02, Math.min(2, zoom));
    return { zoom: zoom, pan: { x: box.width / 2 - zoom * (x1 + x2) / 2, y: box.height / 2 - zoom * (y1 + y2) / 2 } };
  }

  function separate(centres) {
    for (var pass = 0; pass < 300; pass++) {
      var moved = false;
      for (var i = 0; i < blocks.length; i++) {
        for (var j = i + 1; j < blocks.length; j++) {
          var dx = centres[j].x - centres[i].x, dy = centres[j].y - centres[i].y;
          var ox = (blocks[i].w + blocks[j].w) / 2 + GAP / 2 - Math.abs(dx);
          var oy = (blocks[i].h + blocks[j].h) / 2 + GAP / 2 - Math.abs(dy);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          if (ox < oy) {
            var sx = (dx > 0 || (dx === 0 && i < j)) ? 1 : -1;
            centres[i].x -= sx * ox / 2; centres[j].x += sx * ox / 2;
          } else {
            var sy = (dy > 0 || (dy === 0 && i < j)) ? 1 : -1;
            centres[i].y -= sy * oy / 2; centres[j].y += sy * oy / 2;
          }
        }
      }
      if (!moved) break;
    }
    return centres;
  }

  // -- the graph -----------------------------------------------------------------------------
  function elements(positions) {
    var list = [];
    groups.forEach(function (g, i) {
      list.push({ group: "nodes", data: { id: "g" + i, colour: g.colour, index: i }, classes: "group " + g.role });
      list.push({ group: "nodes", data: { id: "h" + i, parent: "g" + i, label: g.name, colour: g.colour, index: i, w: badgeWidth(i) },
                  position: positions.badges[i], classes: "badge" });
    });
    units.forEach(function (u, i) {
      list.push({ group: "nodes", data: { id: "u" + i, parent: "g" + u.group, label: u.label, colour: groups[u.group].colour, index: i },
                  position: positions.units[i], classes: "unit" });
    });
    if (data.moduleEdges) unitPairs.forEach(function (p, i) { list.push(unitEdgeElement(i)); });
    groupPairs.forEach(function (p, i) {
      var w = weightOf(p);
      list.push({ group: "edges", data: { id: "f" + i, source: "h" + p.a, target: "h" + p.b, w: w, lw: groupWidth(w), index: i },
                  classes: "group-edge" + (w > 0 && showGroupEdges.checked ? "" : " off") });
    });
    return list;
  }

  // Edges between units are elements only once they may be seen: on large graphs that is when a
  // layer is ticked or a unit is selected, which keeps the first drawing fast.
  var edgeOfPair = new Array(unitPairs.length);
  var pairsOfUnit = units.map(function () { return []; });
  unitPairs.forEach(function (p, i) { pairsOfUnit[p.a].push(i); pairsOfUnit[p.b].push(i); });
  function isAcross(p) { return units[p.a].group !== units[p.b].group; }

  function unitEdgeElement(i) {
    var p = unitPairs[i], w = weightOf(p), across = isAcross(p);
    var shown = w > 0 && (across ? showAcross.checked : showInside.checked);
    return { group: "edges", data: { id: "e" + i, source: "u" + p.a, target: "u" + p.b, w: w, lw: unitWidth(w), index: i },
             classes: "unit-edge " + (across ? "across" : "inside") + (shown ? "" : " off") };
  }

  function ensureUnitEdges(indices) {
    var missing = indices.filter(function (i) { return !edgeOfPair[i]; });
    if (!missing.length) return;
    var added = cy.add(missing.map(unitEdgeElement));
    added.forEach(function (edge) { edgeOfPair[edge.data("index")] = edge; });
    unitEdges = unitEdges.union(added);
  }

  var showGroupEdges = document.getElementById("show-group-edges");
  var showInside = document.getElementById("show-inside-edges");
  var showAcross = document.getElementById("show-across-edges");
  showInside.checked = !!data.moduleEdges;

  var style = [
    { selector: "node.unit", style: {
      "width": 16, "height": 16, "background-color": "data(colour)", "border-width": 1, "border-color": "#ffffff",
      "label": "data(label)", "font-size": 10, "color": "#24292f", "text-valign": "bottom", "text-margin-y": 3,
      "min-zoomed-font-size": BIG ? 8 : 4 } },
    { selector: "node.group", style: {
      "shape": "round-rectangle", "background-color": "data(colour)", "background-opacity": 0.08,
      "border-color": "data(colour)", "border-width": 2, "padding": 14 } },
    { selector: "node.badge", style: {
      "shape": "round-rectangle", "width": "data(w)", "height": 24, "background-color": "data(colour)",
      "label": "data(label)", "font-size": 14, "font-weight": "bold", "color": "#ffffff",
      "text-valign": "center", "text-halign": "center", "min-zoomed-font-size": 4 } },
    { selector: "node.shared, node.infrastructure, node.unassigned", style: { "border-style": "dashed" } },
    { selector: "edge.unit-edge", style: {
      "width": "data(lw)", "line-color": "#8c959f", "opacity": 0.35,
      "curve-style": BIG ? "haystack" : "bezier", "target-arrow-shape": BIG ? "none" : "triangle",
      "target-arrow-color": "#8c959f", "arrow-scale": 0.6 } },
    { selector: "edge.unit-edge.across", style: { "opacity": 0.5, "line-color": "#6e7781", "target-arrow-color": "#6e7781" } },
    { selector: "edge.group-edge", style: {
      "width": "data(lw)", "line-color": "#57606a", "opacity": 0.45, "curve-style": "bezier",
      "target-arrow-shape": "triangle", "target-arrow-color": "#57606a", "arrow-scale": 0.9, "z-index": 5 } },
    { selector: ".off", style: { "display": "none" } },
    { selector: ".faded", style: { "opacity": 0.12 } },
    { selector: "edge.faded", style: { "opacity": 0.04 } },
    { selector: ".focus", style: { "display": "element", "opacity": 1 } },
    { selector: "edge.focus", style: { "line-color": "#cf222e", "target-arrow-color": "#cf222e", "z-index": 9 } },
    { selector: "node.match", style: { "border-width": 4, "border-color": "#bf8700", "width": 24, "height": 24, "font-weight": "bold", "z-index": 9 } },
    { selector: "node.group.match", style: { "border-width": 5 } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#cf222e", "overlay-opacity": 0 } },
    { selector: "node.group:selected", style: { "border-width": 5, "background-opacity": 0.16 } }
  ];

  var firstCentres = data.layout === "map" ? mapCentres() : shelfCentres();
  var firstPositions = positionsFor(firstCentres), firstView = viewportFor(firstCentres);
  mark("placed");
  var cy = window.cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements(firstPositions),
    style: style,
    layout: { name: "preset", fit: false },
    zoom: firstView.zoom, pan: firstView.pan,
    minZoom: 0.02, maxZoom: 4,
    boxSelectionEnabled: false,
    textureOnViewport: BIG, hideEdgesOnViewport: BIG, motionBlur: false,
    pixelRatio: BIG ? 1 : "auto"
  });
  mark("created");
  var unitNodes = cy.nodes(".unit"), groupNodes = cy.nodes(".group"), badgeNodes = cy.nodes(".badge");
  var unitEdges = cy.edges(".unit-edge"), groupEdges = cy.edges(".group-edge");
  unitEdges.forEach(function (edge) { edgeOfPair[edge.data("index")] = edge; });

  // -- edge filters ----------------------------------------------------------------------------
  function refreshEdges() {
    var wanted = [];
    unitPairs.forEach(function (p, i) {
      if (!edgeOfPair[i] && (isAcross(p) ? showAcross.checked : showInside.checked)) wanted.push(i);
    });
    cy.batch(function () {
      ensureUnitEdges(wanted);
      unitEdges.forEach(function (edge) {
        var w = weightOf(unitPairs[edge.data("index")]);
        var shown = edge.hasClass("across") ? showAcross.checked : showInside.checked;
        if (w > 0) edge.data({ w: w, lw: unitWidth(w) });
        if (w > 0 && shown) edge.removeClass("off"); else edge.addClass("off");
      });
      groupEdges.forEach(function (edge) {
        var w = weightOf(groupPairs[edge.data("index")]);
        if (w > 0) edge.data({ w: w, lw: groupWidth(w) });
        if (w > 0 && showGroupEdges.checked) edge.removeClass("off"); else edge.addClass("off");
      });
    });
  }

  (function kindCheckboxes() {
    var box = document.getElementById("kinds"), counts = kinds.map(function () { return 0; });
    data.edges.forEach(function (e) { counts[e[2]] += 1; });
    kinds.forEach(function (kind, k) {
      var label = document.createElement("label"), input = document.createElement("input");
      input.type = "checkbox";
      input.checked = enabled[k];
      input.dataset.kind = kind;
      input.addEventListener("change", function () { enabled[k] = input.checked; refreshEdges(); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + kind + " (" + counts[k] + ")"));
      box.appendChild(label);
    });
  })();
  [showGroupEdges, showInside, showAcross].forEach(function (box) { box.addEventListener("change", refreshEdges); });

  // -- layouts ---------------------------------------------------------------------------------
  var layoutSelect = document.getElementById("layout");

  function runLayout(name) {
    if (name === "fcose") {
      // hubs (the shared library, infrastructure) would pull every service into one knot: the
      // layout sees only the ties between service units
      var hubs = cy.nodes("node.shared, node.infrastructure").descendants();
      ensureUnitEdges(unitPairs.map(function (p, i) { return i; }));
      refreshEdges();
      var ties = unitEdges.filter(function (e) { return !hubs.contains(e.source()) && !hubs.contains(e.target()); });
      var layout = cy.layout({ name: "fcose", eles: cy.nodes().union(ties), quality: "default", randomize: true, animate: false,
                  fit: true, padding: 20, nodeDimensionsIncludeLabels: false, nodeRepulsion: function () { return 6500; },
                  idealEdgeLength: function () { return 70; }, edgeElasticity: function () { return 0.3; },
                  nestingFactor: 0.1, gravity: 0.25, numIter: 2500, tile: true, packComponents: true });
      withSeed(7, function () { layout.run(); });
      return;
    }
    var centres = name === "map" ? mapCentres() : shelfCentres(), positions = positionsFor(centres);
    cy.batch(function () {
      unitNodes.forEach(function (node) { node.position(positions.units[node.data("index")]); });
      badgeNodes.forEach(function (node) { node.position(positions.badges[node.data("index")]); });
    });
    cy.viewport(viewportFor(centres));
  }

  layoutSelect.value = data.layout;
  layoutSelect.addEventListener("change", function () { runLayout(layoutSelect.value); });
  document.getElementById("fit").addEventListener("click", function () { cy.fit(undefined, 20); });

  // -- highlighting, search --------------------------------------------------------------------
  function clearHighlight() {
    cy.batch(function () { cy.elements().removeClass("faded focus match"); });
  }

  function focusOn(collection) {
    cy.batch(function () {
      cy.elements().removeClass("focus match").addClass("faded");
      collection.removeClass("faded").addClass("focus");
      collection.parents().removeClass("faded");
    });
  }

  var searchBox = document.getElementById("search"), searchCount = document.getElementById("search-count");
  var searchTimer = null;

  function search(query) {
    query = query.trim().toLowerCase();
    if (!query) { clearHighlight(); searchCount.textContent = ""; return cy.collection(); }
    var found = unitNodes.union(badgeNodes).filter(function (node) {
      var item = node.hasClass("unit") ? units[node.data("index")] : groups[node.data("index")];
      return item.name.toLowerCase().indexOf(query) !== -1;
    });
    cy.batch(function () {
      cy.elements().removeClass("focus match").addClass("faded");
      found.removeClass("faded").addClass("match");
      found.parents().removeClass("faded");
      found.filter(".badge").parent().descendants().removeClass("faded");
    });
    searchCount.textContent = found.length === 1 ? "1 match" : found.length + " matches";
    if (found.length) {
      cy.fit(found, 60);
      if (cy.zoom() > 1.5) cy.zoom({ level: 1.5, position: centreOf(found) });
    }
    return found;
  }

  function centreOf(collection) {
    var box = collection.boundingBox();
    return { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
  }

  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(searchBox.value); }, 120);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    clearTimeout(searchTimer);
    var found = search(searchBox.value);
    if (found.length) select(found[0], false);
  });

  // -- the side panel --------------------------------------------------------------------------
  var panel = document.getElementById("panel");

  function make(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function link(text, onClick) {
    var a = make("a", text);
    a.setAttribute("role", "button");
    a.tabIndex = 0;
    a.addEventListener("click", onClick);
    a.addEventListener("keydown", function (e) { if (e.key === "Enter") onClick(); });
    return a;
  }

  function roleChip(g) {
    var chip = make("span", groups[g].name, "role");
    chip.style.backgroundColor = groups[g].colour;
    return chip;
  }

  function plainList(title, items) {
    if (!items || !items.length) return;
    panel.appendChild(make("h4", title + " (" + items.length + ")"));
    var ul = make("ul");
    items.slice(0, LIST_CAP).forEach(function (item) { ul.appendChild(make("li", item)); });
    if (items.length > LIST_CAP) ul.appendChild(make("li", "+ " + (items.length - LIST_CAP) + " more", "muted"));
    panel.appendChild(ul);
  }

  function number(w) { return Math.round(w * 10) / 10; }

  function dependencyTables(title, entries) {
    // entries: [unit, kind, weight]; one small table per kind, heaviest first
    panel.appendChild(make("h4", title));
    if (!entries.length) { panel.appendChild(make("p", "none", "muted")); return; }
    var byKind = {};
    entries.forEach(function (e) { (byKind[e[1]] = byKind[e[1]] || []).push(e); });
    Object.keys(byKind).map(Number).sort(function (a, b) { return kinds[a] < kinds[b] ? -1 : 1; }).forEach(function (k) {
      var rows = byKind[k].sort(function (x, y) { return y[2] - x[2] || (units[x[0]].name < units[y[0]].name ? -1 : 1); });
      var table = make("table"), head = make("tr");
      var caption = make("caption", kinds[k] + " (" + rows.length + ")");
      table.appendChild(caption);
      head.appendChild(make("th", data.unit));
      head.appendChild(make("th", "group"));
      head.appendChild(make("th", "weight"));
      table.appendChild(head);
      rows.slice(0, LIST_CAP).forEach(function (e) {
        var tr = make("tr"), name = make("td"), group = make("td");
        name.appendChild(link(units[e[0]].label, function () { select(cy.getElementById("u" + e[0]), true); }));
        group.textContent = groups[units[e[0]].group].name;
        tr.appendChild(name);
        tr.appendChild(group);
        tr.appendChild(make("td", number(e[2]), "num"));
        table.appendChild(tr);
      });
      if (rows.length > LIST_CAP) {
        var more = make("tr"), cell = make("td", "+ " + (rows.length - LIST_CAP) + " more", "muted");
        cell.colSpan = 3;
        more.appendChild(cell);
        table.appendChild(more);
      }
      panel.appendChild(table);
    });
  }

  function groupDependencyTable(title, pairs, other) {
    panel.appendChild(make("h4", title));
    if (!pairs.length) { panel.appendChild(make("p", "none", "muted")); return; }
    var table = make("table"), head = make("tr");
    ["group", "by kind", "total"].forEach(function (h) { head.appendChild(make("th", h)); });
    table.appendChild(head);
    pairs.map(function (p) {
      var total = 0, parts = [];
      Object.keys(p.byKind).map(Number).sort(function (a, b) { return p.byKind[b] - p.byKind[a]; }).forEach(function (k) {
        total += p.byKind[k];
        parts.push(kinds[k] + " " + number(p.byKind[k]));
      });
      return { g: p[other], total: total, parts: parts };
    }).sort(function (x, y) { return y.total - x.total; }).forEach(function (row) {
      var tr = make("tr"), name = make("td");
      name.appendChild(link(groups[row.g].name, function () { select(cy.getElementById("g" + row.g), true); }));
      tr.appendChild(name);
      tr.appendChild(make("td", row.parts.join(", ")));
      tr.appendChild(make("td", number(row.total), "num"));
      table.appendChild(tr);
    });
    panel.appendChild(table);
  }

  function showUnit(i) {
    var u = units[i];
    panel.textContent = "";
    panel.appendChild(make("h3", u.name));
    var line = make("p");
    line.appendChild(roleChip(u.group));
    line.appendChild(document.createTextNode(" " + u.kind + (u.file ? " · " + u.file : "")));
    panel.appendChild(line);
    panel.appendChild(make("h4", "Why it is here"));
    if (u.reasons && u.reasons.length) {
      var ul = make("ul", null, "reasons");
      u.reasons.forEach(function (r) { ul.appendChild(make("li", r)); });
      panel.appendChild(ul);
    } else {
      panel.appendChild(make("p", groups[u.group].role === "package" ? "no decomposition given: grouped by package"
                                                                 : "no reasons recorded", "muted"));
    }
    CONTENT.forEach(function (c) { plainList(c[1], u[c[0]]); });
    dependencyTables("Depends on", outgoing[i]);
    dependencyTables("Used by", incoming[i]);
  }

  function showGroup(g) {
    var group = groups[g];
    panel.textContent = "";
    panel.appendChild(make("h3", group.name));
    var line = make("p");
    line.appendChild(roleChip(g));
    line.appendChild(document.createTextNode(" " + group.role + " · " + members[g].length + " " + data.unit + "s"));
    panel.appendChild(line);
    CONTENT.forEach(function (c) { plainList(c[1], group[c[0]]); });
    groupDependencyTable("Outbound: depends on", groupPairs.filter(function (p) { return p.a === g; }), "b");
    groupDependencyTable("Inbound: used by", groupPairs.filter(function (p) { return p.b === g; }), "a");
    panel.appendChild(make("h4", data.unit.charAt(0).toUpperCase() + data.unit.slice(1) + "s (" + members[g].length + ")"));
    var ul = make("ul");
    members[g].forEach(function (i) {
      var li = make("li");
      li.appendChild(link(units[i].label, function () { select(cy.getElementById("u" + i), true); }));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function select(node, center) {
    cy.elements().unselect();
    node.select();
    if (node.hasClass("unit")) {
      ensureUnitEdges(pairsOfUnit[node.data("index")]);
      focusOn(node.closedNeighborhood());
      showUnit(node.data("index"));
      if (center) cy.animate({ center: { eles: node }, duration: 0 });
    } else {
      var ties = node.children(".badge").connectedEdges();
      focusOn(node.union(node.descendants()).union(ties).union(ties.connectedNodes()));
      showGroup(node.data("index"));
      if (center) cy.fit(node, 40);
    }
    report.selected = node.id();
  }

  cy.on("tap", "node", function (event) {
    var node = event.target;
    select(node.hasClass("badge") ? node.parent() : node, false);
  });
  cy.on("tap", function (event) {
    if (event.target === cy) { cy.elements().unselect(); clearHighlight(); }
  });

  (function legend() {
    var box = document.getElementById("legend");
    groups.forEach(function (g, i) {
      var button = make("button");
      var swatch = make("span", null, "swatch");
      swatch.style.backgroundColor = g.colour;
      button.type = "button";
      button.appendChild(swatch);
      button.appendChild(document.createTextNode(g.name + " (" + members[i].length + ")"));
      button.addEventListener("click", function () { select(cy.getElementById("g" + i), true); });
      box.appendChild(button);
    });
  })();

  // -- ready ---------------------------------------------------------------------------------
  report.layoutMs = Math.round(performance.now() - started);
  report.layout = data.layout;
  report.serviceNodes = groupNodes.filter(".service").length;
  report.groupNodes = groupNodes.length;
  report.moduleNodes = unitNodes.length;
  report.edges = data.edges.length;
  report.ready = true;
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { report.paintedMs = Math.round(performance.now() - started); });
  });
})();
