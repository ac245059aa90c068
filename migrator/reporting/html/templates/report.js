/* The interactive boundary view. Reads the JSON the report embeds, draws it with Cytoscape.js,
   and builds every text it shows with textContent: names from the monolith never become markup.

   Groups are drawn as plain box nodes behind their units, not as compound nodes: with thousands
   of units, compound parents make every style change of a unit revisit its parent's edges and
   descendants. The layouts place units themselves, so a box is only a background with a badge. */
(function () {
  "use strict";
  var started = performance.now();
  var report = window.__migratorReport = {
    ready: false, layoutMs: 0, paintedMs: 0, layout: "", serviceNodes: 0, groupNodes: 0, moduleNodes: 0, edges: 0, steps: {}
  };
  function mark(step) { report.steps[step] = Math.round(performance.now() - started); }

  (function stickyHeader() {
    // links to a section scroll it below the sticky header, however many lines the header wraps to
    var header = document.querySelector("header.top");
    function measure() { document.documentElement.style.setProperty("--header-height", header.offsetHeight + "px"); }
    measure();
    window.addEventListener("resize", measure);
  })();

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var groups = data.groups, units = data.units, kinds = data.kinds;
  var BIG = !!data.large;
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
  var pairsOfUnit = units.map(function () { return []; });
  unitPairs.forEach(function (p, i) { pairsOfUnit[p.a].push(i); pairsOfUnit[p.b].push(i); });

  function addTo(index, list, key, a, b, k, w) {
    var pair = index.get(key);
    if (!pair) {
      pair = { a: a, b: b, byKind: {} };
      index.set(key, pair);
      list.push(pair);
    }
    pair.byKind[k] = (pair.byKind[k] || 0) + w;
  }

  function isAcross(p) { return units[p.a].group !== units[p.b].group; }

  var enabled = kinds.map(function (k) { return k !== "co_changes"; });

  function weightOf(pair) {
    var total = 0;
    for (var k in pair.byKind) if (enabled[k]) total += pair.byKind[k];
    return total;
  }

  function unitWidth(w) { return Math.min(8, 0.6 + 0.9 * Math.log2(1 + w)); }
  function groupWidth(w) { return Math.min(16, 1.5 + 1.6 * Math.log2(1 + w)); }
  mark("indexed");

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

  function fcose(elements, options) {
    // fCoSE on a throw-away headless graph: positions by id
    var headless = cytoscape({ headless: true, styleEnabled: true, elements: elements,
                               style: [{ selector: "node", style: { width: "data(w)", height: "data(h)", shape: "rectangle" } }] });
    withSeed(42, function () {
      headless.layout(Object.assign({ name: "fcose", animate: false, randomize: true, quality: "default", fit: false }, options)).run();
    });
    var positions = {};
    headless.nodes().forEach(function (node) { positions[node.id()] = { x: node.position("x"), y: node.position("y") }; });
    headless.destroy();
    return positions;
  }

  // -- layouts: units placed inside each group (a block), then the blocks placed -----------------
  var CELL_W = 150, CELL_H = 48, BADGE_H = 42, PAD = 16, GAP = 110;

  function badgeWidth(g) { return 24 + 8 * groups[g].name.length; }

  function gridBlock(g) {
    // units in name order, on a grid about as wide as tall (labels are wide)
    var list = members[g], cols = Math.max(1, Math.ceil(Math.sqrt(list.length * 1.2)));
    var offsets = list.map(function (u, i) { return { x: (i % cols) * CELL_W, y: Math.floor(i / cols) * CELL_H }; });
    return block(g, offsets);
  }

  function forceBlock(g) {
    // a force layout of the group's units and the ties inside it
    var list = members[g];
    if (list.length < 3) return gridBlock(g);
    var elements = list.map(function (u) { return { group: "nodes", data: { id: "n" + u, w: CELL_W * 0.7, h: CELL_H * 0.8 } }; });
    list.forEach(function (u) {
      pairsOfUnit[u].forEach(function (i) {
        var p = unitPairs[i];
        if (p.a === u && !isAcross(p) && weightOf(p) > 0) {
          elements.push({ group: "edges", data: { id: "t" + i, source: "n" + p.a, target: "n" + p.b } });
        }
      });
    });
    var found = fcose(elements, { nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 60; },
                                  gravity: 0.5, numIter: list.length > 40 ? 400 : 1500, tile: true, packComponents: true });
    return block(g, list.map(function (u) { return found["n" + u]; }));
  }

  function block(g, offsets) {
    // offsets of the units, moved so that the block's top-left corner is (0, 0)
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    offsets.forEach(function (o) { x1 = Math.min(x1, o.x); y1 = Math.min(y1, o.y); x2 = Math.max(x2, o.x); y2 = Math.max(y2, o.y); });
    if (!offsets.length) { x1 = y1 = x2 = y2 = 0; }
    var inner = x2 - x1 + CELL_W, w = Math.max(inner, badgeWidth(g) + 2 * PAD), shift = (w - inner) / 2;
    return {
      w: w, h: BADGE_H + (y2 - y1) + CELL_H,
      offsets: offsets.map(function (o) { return { x: o.x - x1 + CELL_W / 2 + shift, y: o.y - y1 + BADGE_H + 12 }; })
    };
  }

  function shelfCentres(blocks) {
    // blocks in drawing order, packed in rows about as wide as the whole is tall
    var area = blocks.reduce(function (s, b) { return s + (b.w + GAP) * (b.h + GAP); }, 0);
    var rowWidth = Math.max(Math.sqrt(area) * 1.4, blocks.reduce(function (m, b) { return Math.max(m, b.w); }, 0));
    var x = 0, y = 0, rowHeight = 0;
    return blocks.map(function (b) {
      if (x > 0 && x + b.w > rowWidth) { x = 0; y += rowHeight + GAP; rowHeight = 0; }
      var centre = { x: x + b.w / 2, y: y + b.h / 2 };
      x += b.w + GAP;
      rowHeight = Math.max(rowHeight, b.h);
      return centre;
    });
  }

  function mapCentres(blocks) {
    // a force layout of the blocks alone, each tied to its strongest partners, then pushed
    // apart where they still overlap
    if (blocks.length < 2) return shelfCentres(blocks);
    var start = shelfCentres(blocks), elements = [];
    blocks.forEach(function (b, g) {
      elements.push({ group: "nodes", data: { id: "b" + g, w: b.w + GAP / 2, h: b.h + GAP / 2 }, position: start[g] });
    });
    strongestTies(5).forEach(function (tie, i) {
      elements.push({ group: "edges", data: { id: "t" + i, source: "b" + tie[0], target: "b" + tie[1] } });
    });
    var found = fcose(elements, { nodeRepulsion: function () { return 20000; }, idealEdgeLength: function () { return GAP * 2; },
                                  gravity: 0.4, numIter: 2500, tile: true, packComponents: true });
    return separate(blocks, blocks.map(function (b, g) { return found["b" + g]; }));
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
      if (w <= 0) return;
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

  function separate(blocks, centres) {
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
            var sx = dx >= 0 ? 1 : -1;
            centres[i].x -= sx * ox / 2; centres[j].x += sx * ox / 2;
          } else {
            var sy = dy >= 0 ? 1 : -1;
            centres[i].y -= sy * oy / 2; centres[j].y += sy * oy / 2;
          }
        }
      }
      if (!moved) break;
    }
    return centres;
  }

  var LAYOUTS = {
    map: function () { var blocks = groups.map(function (g, i) { return gridBlock(i); }); return place(blocks, mapCentres(blocks)); },
    grid: function () { var blocks = groups.map(function (g, i) { return gridBlock(i); }); return place(blocks, shelfCentres(blocks)); },
    force: function () { var blocks = groups.map(function (g, i) { return forceBlock(i); }); return place(blocks, mapCentres(blocks)); }
  };

  function place(blocks, centres) {
    // every node's position: the boxes, their badges and the units
    var placed = { boxes: [], badges: [], units: new Array(units.length), extent: { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity } };
    blocks.forEach(function (b, g) {
      var left = centres[g].x - b.w / 2, top = centres[g].y - b.h / 2, e = placed.extent;
      placed.boxes.push({ x: centres[g].x, y: centres[g].y, w: b.w + 2 * PAD, h: b.h + PAD });
      placed.badges.push({ x: centres[g].x, y: top + BADGE_H / 2 - 4 });
      members[g].forEach(function (u, i) { placed.units[u] = { x: left + b.offsets[i].x, y: top + b.offsets[i].y }; });
      e.x1 = Math.min(e.x1, left - PAD); e.x2 = Math.max(e.x2, left + b.w + PAD);
      e.y1 = Math.min(e.y1, top - PAD); e.y2 = Math.max(e.y2, top + b.h + PAD);
    });
    return placed;
  }

  function viewportFor(placed) {
    // what cy.fit would give, from the extent the layout knows: fitting thousands of labelled nodes is slow
    var e = placed.extent, box = document.getElementById("cy").getBoundingClientRect(), pad = 30;
    if (!isFinite(e.x1)) return { zoom: 1, pan: { x: 0, y: 0 } };
    var zoom = Math.min((box.width - 2 * pad) / Math.max(1, e.x2 - e.x1), (box.height - 2 * pad) / Math.max(1, e.y2 - e.y1));
    zoom = Math.max(0.02, Math.min(1.5, zoom));
    return { zoom: zoom, pan: { x: box.width / 2 - zoom * (e.x1 + e.x2) / 2, y: box.height / 2 - zoom * (e.y1 + e.y2) / 2 } };
  }

  // -- the graph -------------------------------------------------------------------------------
  // Edges between units are elements only once they may be seen: on large graphs that is when a
  // layer is ticked or a unit is selected, which keeps the first drawing fast.
  var showGroupEdges = document.getElementById("show-group-edges");
  var showInside = document.getElementById("show-inside-edges");
  var showAcross = document.getElementById("show-across-edges");
  showInside.checked = !BIG;
  var minWeightBox = document.getElementById("min-weight");
  minWeightBox.value = String(defaultMinWeight(400));
  function minWeight() { var v = parseFloat(minWeightBox.value); return isFinite(v) ? v : 0; }
  function groupEdgeShown(w) { return w >= minWeight() && showGroupEdges.checked; }

  function defaultMinWeight(most) {
    // a hairball of thousands of ties between groups says nothing: show the heaviest few hundred
    if (groupPairs.length <= most) return 0;
    var weights = groupPairs.map(weightOf).sort(function (a, b) { return b - a; });
    return Math.round(weights[most - 1] * 100) / 100;
  }
  var edgeOfPair = new Array(unitPairs.length);

  function unitEdgeElement(i) {
    var p = unitPairs[i], w = weightOf(p), across = isAcross(p);
    var shown = across ? showAcross.checked : showInside.checked;
    return { group: "edges", data: { id: "e" + i, source: "u" + p.a, target: "u" + p.b, w: w, lw: unitWidth(w), index: i },
             classes: "unit-edge " + (across ? "across" : "inside") + (shown ? "" : " off") + (w > 0 ? "" : " empty") };
  }

  function elements(placed) {
    var list = [];
    groups.forEach(function (g, i) {
      var box = placed.boxes[i];
      list.push({ group: "nodes", data: { id: "g" + i, colour: g.colour, index: i, w: box.w, h: box.h },
                  position: { x: box.x, y: box.y }, classes: "group " + g.role });
      list.push({ group: "nodes", data: { id: "h" + i, label: g.name, colour: g.colour, index: i, w: badgeWidth(i) },
                  position: placed.badges[i], classes: "badge" });
    });
    units.forEach(function (u, i) {
      list.push({ group: "nodes", data: { id: "u" + i, label: u.label, colour: groups[u.group].colour, index: i },
                  position: placed.units[i], classes: "unit" });
    });
    if (!BIG) unitPairs.forEach(function (p, i) { list.push(unitEdgeElement(i)); });
    groupPairs.forEach(function (p, i) {
      var w = weightOf(p);
      list.push({ group: "edges", data: { id: "f" + i, source: "h" + p.a, target: "h" + p.b, w: w, lw: groupWidth(w), index: i },
                  classes: "group-edge" + (groupEdgeShown(w) ? "" : " off") + (w > 0 ? "" : " empty") });
    });
    return list;
  }

  var style = [
    { selector: "node", style: { "z-index-compare": "manual" } },
    { selector: "edge", style: { "z-index-compare": "manual" } },
    { selector: "node.unit", style: {
      "width": 16, "height": 16, "background-color": "data(colour)", "label": "data(label)", "font-size": 10,
      "text-valign": "bottom", "min-zoomed-font-size": BIG ? 8 : 4, "z-index": 20 } },
    { selector: "node.group", style: {
      "shape": "round-rectangle", "width": "data(w)", "height": "data(h)", "background-color": "data(colour)",
      "background-opacity": 0.08, "border-color": "data(colour)", "border-width": 2, "z-index": 0 } },
    { selector: "node.shared, node.infrastructure, node.unassigned", style: { "border-style": "dashed" } },
    { selector: "node.badge", style: {
      "shape": "round-rectangle", "width": "data(w)", "height": 24, "background-color": "data(colour)",
      "label": "data(label)", "font-size": 14, "font-weight": "bold", "color": "#ffffff",
      "text-valign": "center", "text-halign": "center", "min-zoomed-font-size": 4, "z-index": 30 } },
    { selector: "edge.unit-edge", style: {
      "width": "data(lw)", "line-color": "#8c959f", "opacity": 0.35, "z-index": 10,
      "curve-style": BIG ? "haystack" : "bezier", "target-arrow-shape": BIG ? "none" : "triangle",
      "target-arrow-color": "#8c959f", "arrow-scale": 0.6 } },
    { selector: "edge.unit-edge.across", style: { "opacity": 0.5, "line-color": "#6e7781", "target-arrow-color": "#6e7781" } },
    { selector: "edge.group-edge", style: {
      "width": "data(lw)", "line-color": "#57606a", "opacity": 0.45, "curve-style": BIG ? "straight" : "bezier",
      "target-arrow-shape": "triangle", "target-arrow-color": "#57606a", "arrow-scale": 0.9, "z-index": 15 } },
    { selector: ".off", style: { "display": "none" } },
    { selector: ".faded", style: { "opacity": 0.12 } },
    { selector: "edge.faded", style: { "opacity": 0.04 } },
    { selector: ".focus", style: { "display": "element", "opacity": 1 } },
    { selector: "edge.focus", style: { "line-color": "#cf222e", "target-arrow-color": "#cf222e", "z-index": 25 } },
    { selector: ".empty", style: { "display": "none" } },
    { selector: "node.unit.match", style: { "border-width": 4, "border-color": "#bf8700", "width": 24, "height": 24, "font-weight": "bold" } },
    { selector: "node.badge.match", style: { "border-width": 4, "border-color": "#bf8700" } },
    { selector: "node.unit:selected", style: { "border-width": 4, "border-color": "#cf222e" } },
    { selector: "node.group:selected", style: { "border-width": 5, "background-opacity": 0.16 } },
    { selector: "node:active", style: { "overlay-opacity": 0 } }
  ];

  var currentLayout = data.layout;
  var firstPlacement = LAYOUTS[currentLayout]();
  var firstView = viewportFor(firstPlacement);
  mark("placed");
  var cy = window.cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements(firstPlacement),
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
  var unitNode = [], groupNode = [], badgeNode = [];
  unitNodes.forEach(function (node) { unitNode[node.data("index")] = node; });
  groupNodes.forEach(function (node) { groupNode[node.data("index")] = node; });
  badgeNodes.forEach(function (node) { badgeNode[node.data("index")] = node; });
  unitEdges.forEach(function (edge) { edgeOfPair[edge.data("index")] = edge; });
  badgeNodes.ungrabify();

  function ensureUnitEdges(indices) {
    var missing = indices.filter(function (i) { return !edgeOfPair[i]; });
    if (!missing.length) return;
    var added = cy.add(missing.map(unitEdgeElement));
    added.forEach(function (edge) { edgeOfPair[edge.data("index")] = edge; });
    unitEdges = unitEdges.union(added);
  }

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
        edge.toggleClass("off", !shown);
        edge.toggleClass("empty", w <= 0);
      });
      groupEdges.forEach(function (edge) {
        var w = weightOf(groupPairs[edge.data("index")]);
        if (w > 0) edge.data({ w: w, lw: groupWidth(w) });
        edge.toggleClass("off", !groupEdgeShown(w));
        edge.toggleClass("empty", w <= 0);
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
  [showGroupEdges, showInside, showAcross, minWeightBox].forEach(function (box) { box.addEventListener("change", refreshEdges); });

  // -- changing the layout, dragging a box -----------------------------------------------------
  function applyPlacement(placed) {
    cy.batch(function () {
      groupNodes.forEach(function (node) {
        var box = placed.boxes[node.data("index")];
        node.data({ w: box.w, h: box.h });
        node.position({ x: box.x, y: box.y });
      });
      badgeNodes.forEach(function (node) { node.position(placed.badges[node.data("index")]); });
      unitNodes.forEach(function (node) { node.position(placed.units[node.data("index")]); });
    });
    cy.viewport(viewportFor(placed));
  }

  var layoutSelect = document.getElementById("layout");
  layoutSelect.value = currentLayout;
  layoutSelect.addEventListener("change", function () {
    currentLayout = layoutSelect.value;
    applyPlacement(LAYOUTS[currentLayout]());
  });
  document.getElementById("fit").addEventListener("click", function () { cy.viewport(viewportFor(currentExtent())); });

  function currentExtent() {
    var e = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
    groupNodes.forEach(function (node) {
      var p = node.position(), w = node.data("w") / 2, h = node.data("h") / 2;
      e.x1 = Math.min(e.x1, p.x - w); e.x2 = Math.max(e.x2, p.x + w); e.y1 = Math.min(e.y1, p.y - h); e.y2 = Math.max(e.y2, p.y + h);
    });
    return { extent: e };
  }

  var dragFrom = null;
  cy.on("grab", "node.group", function (event) { dragFrom = Object.assign({}, event.target.position()); });
  cy.on("drag", "node.group", function (event) {
    // a box carries its badge and units along
    var node = event.target, p = node.position();
    if (!dragFrom) return;
    var dx = p.x - dragFrom.x, dy = p.y - dragFrom.y, g = node.data("index");
    dragFrom = { x: p.x, y: p.y };
    cy.batch(function () {
      badgeNode[g].shift({ x: dx, y: dy });
      members[g].forEach(function (u) { unitNode[u].shift({ x: dx, y: dy }); });
    });
  });
  cy.on("free", "node.group", function () { dragFrom = null; });

  // -- highlighting, search --------------------------------------------------------------------
  function clearHighlight() {
    cy.batch(function () { cy.elements().removeClass("faded focus match"); });
  }

  function focusOn(collection) {
    cy.batch(function () {
      cy.elements().removeClass("focus match").addClass("faded");
      collection.removeClass("faded").addClass("focus");
    });
  }

  var searchBox = document.getElementById("search"), searchCount = document.getElementById("search-count");
  var searchTimer = null;

  function search(query) {
    query = query.trim().toLowerCase();
    if (!query) { clearHighlight(); searchCount.textContent = ""; return cy.collection(); }
    // services first: Enter selects the first match
    var found = badgeNodes.union(unitNodes).filter(function (node) {
      var item = node.hasClass("unit") ? units[node.data("index")] : groups[node.data("index")];
      return item.name.toLowerCase().indexOf(query) !== -1;
    });
    var shown = found.union(found.map(function (node) { return groupNode[node.hasClass("unit") ? units[node.data("index")].group : node.data("index")]; }));
    found.filter(".badge").forEach(function (badge) {
      members[badge.data("index")].forEach(function (u) { shown = shown.union(unitNode[u]); });
    });
    cy.batch(function () {
      cy.elements().removeClass("focus match").addClass("faded");
      shown.removeClass("faded");
      found.addClass("match");
    });
    searchCount.textContent = found.length === 1 ? "1 match" : found.length + " matches";
    if (found.length) {
      cy.fit(shown, 60);
      if (cy.zoom() > 1.5) cy.zoom({ level: 1.5, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    }
    return found;
  }

  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(searchBox.value); }, 120);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    clearTimeout(searchTimer);
    var found = search(searchBox.value);
    if (found.length) select(found[0].hasClass("badge") ? groupNode[found[0].data("index")] : found[0], false);
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
        name.appendChild(link(units[e[0]].label, function () { select(unitNode[e[0]], true); }));
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
      name.appendChild(link(groups[row.g].name, function () { select(groupNode[row.g], true); }));
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
      li.appendChild(link(units[i].label, function () { select(unitNode[i], true); }));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function select(node, center) {
    cy.elements().unselect();
    node.select();
    if (node.hasClass("unit")) {
      var u = node.data("index");
      ensureUnitEdges(pairsOfUnit[u]);
      var near = node.closedNeighborhood();
      focusOn(near.union(near.nodes().map(function (n) { return groupNode[units[n.data("index")].group]; })));
      showUnit(u);
      if (center) cy.center(node);
    } else {
      var g = node.data("index"), ties = badgeNode[g].connectedEdges(), inside = cy.collection();
      members[g].forEach(function (i) { inside = inside.union(unitNode[i]); });
      var partners = ties.connectedNodes().map(function (badge) { return groupNode[badge.data("index")]; });
      focusOn(node.union(inside).union(ties).union(ties.connectedNodes()).union(partners));
      showGroup(g);
      if (center) {
        cy.fit(node, 40);
        if (cy.zoom() > 1) cy.zoom({ level: 1, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      }
    }
    report.selected = node.id();
  }

  cy.on("tap", "node", function (event) {
    var node = event.target;
    select(node.hasClass("badge") ? groupNode[node.data("index")] : node, false);
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
      button.addEventListener("click", function () { select(groupNode[i], true); });
      box.appendChild(button);
    });
  })();

  // -- ready -----------------------------------------------------------------------------------
  report.layoutMs = Math.round(performance.now() - started);
  report.layout = currentLayout;
  report.serviceNodes = groupNodes.filter(".service").length;
  report.groupNodes = groupNodes.length;
  report.moduleNodes = unitNodes.length;
  report.edges = data.edges.length;
  report.ready = true;
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { report.paintedMs = Math.round(performance.now() - started); });
  });
})();
