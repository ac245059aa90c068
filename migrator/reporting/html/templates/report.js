/* The interactive boundary view. Reads the JSON the report embeds, draws it with Cytoscape.js,
   and builds every text it shows with textContent: names from the monolith never become markup.

   It opens on the groups alone (services, shared library, infrastructure), each a closed card
   with its name and size, tied by one arrow per direction that sums every dependency between
   their units. A group opens (double-click, its panel's button, "Expand all", or a search that
   finds few of its units) into a box with its units inside; the map is then laid out again
   around it. A group's units become elements the first time it opens, so the first drawing
   holds a few dozen elements whatever the size of the monolith, and its labels can be drawn
   large enough to read.

   Groups are drawn as plain box nodes behind their units, not as compound nodes: with thousands
   of units, compound parents make every style change of a unit revisit its parent's edges and
   descendants. The layouts place units themselves, so a box is only a background with a badge. */
(function () {
  "use strict";
  var started = performance.now();
  var report = window.__migratorReport = {
    ready: false, layoutMs: 0, paintedMs: 0, layout: "", serviceNodes: 0, groupNodes: 0, moduleNodes: 0, edges: 0,
    open: 0, firstZoom: 0, steps: {}
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
  var REVEAL_MOST = 60;  // a search opens the groups holding its matches when it finds at most this many units

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
  function plural(n, word, words) { return n + " " + (n === 1 ? word : words || word + "s"); }
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

  // -- sizes -----------------------------------------------------------------------------------
  // Font sizes are in model units. The first view opens at a zoom of at least READABLE_ZOOM, so
  // that its labels, all BADGE_FONT, are drawn at 15 x 0.8 = 12 px or more on screen. Further
  // out, the names of open groups grow to stay READABLE_PX and units' labels are left out below
  // UNIT_PX (see fitLabelsToZoom).
  var CELL_W = 160, CELL_H = 48, PAD = 16, GAP = 110, CLOSED_GAP = 56, HALO = 5;
  var BADGE_FONT = 15, UNIT_FONT = 12, READABLE_PX = 11, UNIT_PX = 10;
  var READABLE_ZOOM = 0.8, OPENED_ZOOM = 0.95, MOST_ZOOM = 1.25;

  function textWidth(text, font) { return (24 + 9 * Math.max(3, text.length)) * font / BADGE_FONT; }

  function badgeSize(g, font) {
    // about the width of the name in bold at that size, with some room either side
    return { w: textWidth(groups[g].name, font), h: 1.7 * font, font: font };
  }

  // -- blocks: one group's box, its badge and the offsets of its units from the box's corner ----
  function closedBlock(g) {
    // a card: the badge grown to hold the name and the number of units, bigger for bigger
    // groups, in a thin box that shows selection and role
    var n = members[g].length, font = BADGE_FONT;
    var w = Math.max(textWidth(groups[g].name, font), textWidth(countOf(g), font), 96 + 8 * Math.sqrt(n));
    var h = Math.max(3.4 * font, 40 + 3 * Math.sqrt(n));
    return { w: w + 2 * HALO, h: h + 2 * HALO, badge: { w: w, h: h, font: font }, badgeY: HALO + h / 2, offsets: [] };
  }

  function countOf(g) { return plural(members[g].length, data.unit); }

  function gridBlock(g) {
    // units in name order, on a grid a little wider than tall, as the view is
    var list = members[g], cols = Math.max(1, Math.ceil(Math.sqrt(list.length * 1.6 * CELL_H / CELL_W)));
    return openBlock(g, list.map(function (u, i) { return { x: (i % cols) * CELL_W, y: Math.floor(i / cols) * CELL_H }; }));
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
    return openBlock(g, list.map(function (u) { return found["n" + u]; }));
  }

  function openBlock(g, offsets) {
    // the box around the units, with the badge on top
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    offsets.forEach(function (o) { x1 = Math.min(x1, o.x); y1 = Math.min(y1, o.y); x2 = Math.max(x2, o.x); y2 = Math.max(y2, o.y); });
    if (!offsets.length) { x1 = y1 = x2 = y2 = 0; }
    var inner = x2 - x1 + CELL_W, badge = badgeSize(g, BADGE_FONT);
    var w = Math.max(inner, badge.w) + 2 * PAD, left = (w - inner) / 2, top = PAD + badge.h + 14;
    return {
      w: w, h: top + (y2 - y1) + CELL_H, badge: badge, badgeY: PAD + badge.h / 2,
      offsets: offsets.map(function (o) { return { x: o.x - x1 + CELL_W / 2 + left, y: o.y - y1 + top + 8 }; })
    };
  }

  // -- placing the blocks ----------------------------------------------------------------------
  function shelfCentres(blocks, gap) {
    // blocks in drawing order, packed in rows about as wide as the whole is tall
    var area = blocks.reduce(function (s, b) { return s + (b.w + gap) * (b.h + gap); }, 0);
    var rowWidth = Math.max(Math.sqrt(area) * 1.5, blocks.reduce(function (m, b) { return Math.max(m, b.w); }, 0));
    var x = 0, y = 0, rowHeight = 0;
    return blocks.map(function (b) {
      if (x > 0 && x + b.w > rowWidth) { x = 0; y += rowHeight + gap; rowHeight = 0; }
      var centre = { x: x + b.w / 2, y: y + b.h / 2 };
      x += b.w + gap;
      rowHeight = Math.max(rowHeight, b.h);
      return centre;
    });
  }

  function mapCentres(blocks, gap) {
    // a force layout of the blocks alone, each tied to its strongest partners, then pushed
    // apart where they still overlap
    if (blocks.length < 2) return shelfCentres(blocks, gap);
    var start = shelfCentres(blocks, gap), elements = [];
    blocks.forEach(function (b, g) {
      elements.push({ group: "nodes", data: { id: "b" + g, w: b.w + gap / 2, h: b.h + gap / 2 }, position: start[g] });
    });
    strongestTies(5).forEach(function (tie, i) {
      elements.push({ group: "edges", data: { id: "t" + i, source: "b" + tie[0], target: "b" + tie[1] } });
    });
    var found = fcose(elements, { nodeRepulsion: function () { return 20000; }, idealEdgeLength: function () { return gap * 2; },
                                  gravity: 0.4, numIter: 2500, tile: true, packComponents: true });
    return separate(blocks, blocks.map(function (b, g) { return found["b" + g]; }), gap);
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

  function separate(blocks, centres, gap) {
    for (var pass = 0; pass < 400; pass++) {
      var moved = false;
      for (var i = 0; i < blocks.length; i++) {
        for (var j = i + 1; j < blocks.length; j++) {
          var dx = centres[j].x - centres[i].x, dy = centres[j].y - centres[i].y;
          var ox = (blocks[i].w + blocks[j].w) / 2 + gap / 2 - Math.abs(dx);
          var oy = (blocks[i].h + blocks[j].h) / 2 + gap / 2 - Math.abs(dy);
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

  function spread(blocks, base, closed) {
    // the overview's arrangement, widened as much as the open groups need (so that neighbours
    // keep their bearings), then whatever still overlaps pushed apart
    function area(list) { return list.reduce(function (s, b) { return s + (b.w + GAP) * (b.h + GAP); }, 0); }
    var anyOpen = blocks.some(function (b, g) { return b !== closed[g]; });
    var factor = anyOpen ? Math.sqrt(area(blocks) / area(closed)) : 1;
    var cx = 0, cy = 0;
    base.forEach(function (p) { cx += p.x / base.length; cy += p.y / base.length; });
    var start = base.map(function (p, g) {
      return { x: cx + (p.x - cx) * factor + moved[g].x, y: cy + (p.y - cy) * factor + moved[g].y };
    });
    return separate(blocks, start, anyOpen ? GAP : CLOSED_GAP);
  }

  var LAYOUTS = {
    map: { centres: mapCentres, block: gridBlock },
    grid: { centres: shelfCentres, block: gridBlock },
    force: { centres: mapCentres, block: forceBlock }
  };
  var closedBlocks = groups.map(function (g, i) { return closedBlock(i); });
  var layoutCache = {};

  function layoutOf(name) {
    // the overview's centres and the open blocks, computed once per layout and when first needed
    if (!layoutCache[name]) layoutCache[name] = { base: LAYOUTS[name].centres(closedBlocks, CLOSED_GAP), open: [] };
    return layoutCache[name];
  }

  function placement() {
    // every node's position: the boxes, their badges and the units of open groups
    var layout = layoutOf(currentLayout);
    var blocks = groups.map(function (g, i) {
      if (!isOpen(i)) return closedBlocks[i];
      return layout.open[i] || (layout.open[i] = LAYOUTS[currentLayout].block(i));
    });
    var centres = spread(blocks, layout.base, closedBlocks);
    var placed = { blocks: blocks, boxes: [], badges: [], units: [], extent: { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity } };
    blocks.forEach(function (b, g) {
      var left = centres[g].x - b.w / 2, top = centres[g].y - b.h / 2, e = placed.extent;
      placed.boxes.push({ x: centres[g].x, y: centres[g].y, w: b.w, h: b.h });
      placed.badges.push({ x: centres[g].x, y: top + b.badgeY, w: b.badge.w, h: b.badge.h, font: b.badge.font });
      b.offsets.forEach(function (o, i) { placed.units[members[g][i]] = { x: left + o.x, y: top + o.y }; });
      e.x1 = Math.min(e.x1, left); e.x2 = Math.max(e.x2, left + b.w);
      e.y1 = Math.min(e.y1, top); e.y2 = Math.max(e.y2, top + b.h);
    });
    return placed;
  }

  function viewportFor(extent, floor) {
    // what cy.fit would give, from the extent the layout knows (fitting thousands of labelled
    // nodes is slow), but never below ``floor``: a view too small to read opens on its middle
    var box = document.getElementById("cy").getBoundingClientRect(), pad = 30, e = extent;
    if (!isFinite(e.x1)) return { zoom: 1, pan: { x: 0, y: 0 } };
    var zoom = Math.min((box.width - 2 * pad) / Math.max(1, e.x2 - e.x1), (box.height - 2 * pad) / Math.max(1, e.y2 - e.y1));
    zoom = Math.max(floor || 0.02, Math.min(MOST_ZOOM, zoom));
    return { zoom: zoom, pan: { x: box.width / 2 - zoom * (e.x1 + e.x2) / 2, y: box.height / 2 - zoom * (e.y1 + e.y2) / 2 } };
  }

  // -- which groups are open -------------------------------------------------------------------
  var currentLayout = data.layout;
  var opened = groups.map(function () { return groups.length === 1; });  // by the user
  var revealed = new Set();                                              // by the current search
  var moved = groups.map(function () { return { x: 0, y: 0 }; });        // by dragging a box
  function isOpen(g) { return opened[g] || revealed.has(g); }
  function anyOpen() { return groups.some(function (g, i) { return isOpen(i); }); }

  // -- the graph -------------------------------------------------------------------------------
  // Units are elements from the first time their group opens; edges between units from the
  // first time both ends exist and their layer is ticked or one end is selected.
  var showGroupEdges = document.getElementById("show-group-edges");
  var showInside = document.getElementById("show-inside-edges");
  var showAcross = document.getElementById("show-across-edges");
  showInside.checked = !BIG;
  var minWeightBox = document.getElementById("min-weight");
  minWeightBox.value = String(defaultMinWeight(Math.max(40, 4 * groups.length)));
  function minWeight() { var v = parseFloat(minWeightBox.value); return isFinite(v) ? v : 0; }
  function groupEdgeShown(w) { return w >= minWeight() && showGroupEdges.checked; }
  function layerShows(p) { return isAcross(p) ? showAcross.checked : showInside.checked; }

  function defaultMinWeight(most) {
    // a hairball of every tie between groups says nothing: show the heaviest, four per group
    if (groupPairs.length <= most) return 0;
    var weights = groupPairs.map(weightOf).sort(function (a, b) { return b - a; });
    return Math.round(weights[most - 1] * 100) / 100;
  }
  var edgeOfPair = new Array(unitPairs.length);

  function unitEdgeElement(i) {
    var p = unitPairs[i], w = weightOf(p), across = isAcross(p);
    return { group: "edges", data: { id: "e" + i, source: "u" + p.a, target: "u" + p.b, w: w, lw: unitWidth(w), index: i },
             classes: "unit-edge " + (across ? "across" : "inside") + (layerShows(p) ? "" : " off") + (w > 0 ? "" : " empty") };
  }

  function groupElements(placed) {
    var list = [];
    groups.forEach(function (g, i) {
      var box = placed.boxes[i], badge = placed.badges[i];
      list.push({ group: "nodes", data: { id: "g" + i, colour: g.colour, index: i, w: box.w, h: box.h },
                  position: { x: box.x, y: box.y }, classes: "group " + g.role + (isOpen(i) ? " open" : " closed") });
      list.push({ group: "nodes", data: { id: "h" + i, label: badgeLabel(i), colour: g.colour, ink: inkOn(g.colour), index: i,
                                          w: badge.w, h: badge.h, font: badge.font, outline: 0 },
                  position: { x: badge.x, y: badge.y }, classes: "badge " + g.role });
    });
    groupPairs.forEach(function (p, i) {
      var w = weightOf(p);
      list.push({ group: "edges", data: { id: "f" + i, source: "h" + p.a, target: "h" + p.b, w: w, lw: groupWidth(w), index: i },
                  classes: "group-edge" + (groupEdgeShown(w) ? "" : " off") + (w > 0 ? "" : " empty") });
    });
    return list;
  }

  function badgeLabel(g) { return isOpen(g) ? groups[g].name : groups[g].name + "\n" + countOf(g); }

  function inkOn(colour) {
    // dark text on light colours, white on dark ones
    var rgb = [1, 3, 5].map(function (i) { return parseInt(colour.slice(i, i + 2), 16) / 255; });
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 0.62 ? "#1f2328" : "#ffffff";
  }

  var style = [
    { selector: "node", style: { "z-index-compare": "manual" } },
    { selector: "edge", style: { "z-index-compare": "manual" } },
    { selector: "node.unit", style: {
      "width": 16, "height": 16, "background-color": "data(colour)", "label": "data(label)", "font-size": UNIT_FONT,
      "text-valign": "bottom", "min-zoomed-font-size": BIG ? 8 : 7, "z-index": 20 } },
    { selector: "node.group", style: {
      "shape": "round-rectangle", "width": "data(w)", "height": "data(h)", "background-color": "data(colour)",
      "background-opacity": 0.08, "border-color": "data(colour)", "border-width": 2, "z-index": 0 } },
    { selector: "node.group.closed", style: { "background-opacity": 0.25 } },
    { selector: "node.group.shared, node.group.infrastructure, node.group.unassigned", style: { "border-style": "dashed" } },
    { selector: "node.badge", style: {
      "shape": "round-rectangle", "width": "data(w)", "height": "data(h)", "background-color": "data(colour)",
      "label": "data(label)", "font-size": "data(font)", "font-weight": "bold", "color": "data(ink)",
      "text-valign": "center", "text-halign": "center", "text-wrap": "wrap", "line-height": 1.35,
      "text-outline-color": "data(colour)", "text-outline-width": "data(outline)",
      "min-zoomed-font-size": 6, "z-index": 30 } },
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
    { selector: "node.unit.shut", style: { "display": "none" } },
    { selector: "node.unit.quiet", style: { "label": "" } },
    { selector: "node.unit.quiet.match, node.unit.quiet:selected", style: { "label": "data(label)" } },
    { selector: "node.unit.match", style: { "border-width": 4, "border-color": "#bf8700", "width": 24, "height": 24, "font-weight": "bold" } },
    { selector: "node.badge.match, node.group.holds-match", style: { "border-width": 4, "border-color": "#bf8700" } },
    { selector: "node.unit:selected", style: { "border-width": 4, "border-color": "#cf222e" } },
    { selector: "node.group:selected", style: { "border-width": 5, "background-opacity": 0.2 } },
    { selector: "node:active", style: { "overlay-opacity": 0 } }
  ];

  var firstPlacement = placement();
  var firstView = viewportFor(firstPlacement.extent, anyOpen() ? 0 : READABLE_ZOOM);
  mark("placed");
  var cy = window.cy = cytoscape({
    container: document.getElementById("cy"),
    elements: groupElements(firstPlacement),
    style: style,
    layout: { name: "preset", fit: false },
    zoom: firstView.zoom, pan: firstView.pan,
    minZoom: 0.02, maxZoom: 4,
    boxSelectionEnabled: false,
    textureOnViewport: BIG, hideEdgesOnViewport: BIG, motionBlur: false,
    pixelRatio: BIG ? 1 : "auto"
  });
  mark("created");
  var groupNodes = cy.nodes(".group"), badgeNodes = cy.nodes(".badge");
  var unitNodes = cy.collection(), unitEdges = cy.collection(), groupEdges = cy.edges(".group-edge");
  var unitNode = [], groupNode = [], badgeNode = [], made = groups.map(function () { return false; });
  var placedNow = firstPlacement;
  groupNodes.forEach(function (node) { groupNode[node.data("index")] = node; });
  badgeNodes.forEach(function (node) { badgeNode[node.data("index")] = node; });

  function makeUnits(g, placed) {
    // the group's units as elements, with the lines to units that already exist
    if (made[g]) return;
    made[g] = true;
    var added = cy.add(members[g].map(function (i) {
      var u = units[i];
      return { group: "nodes", data: { id: "u" + i, label: u.label, colour: groups[g].colour, index: i },
               position: placed.units[i], classes: "unit" };
    }));
    added.forEach(function (node) { unitNode[node.data("index")] = node; });
    if (quietUnits) added.addClass("quiet");
    unitNodes = unitNodes.union(added);
    var wanted = [];
    members[g].forEach(function (u) {
      pairsOfUnit[u].forEach(function (i) { if (layerShows(unitPairs[i])) wanted.push(i); });
    });
    ensureUnitEdges(wanted);
  }

  function ensureUnitEdges(indices) {
    var missing = Array.from(new Set(indices)).filter(function (i) {
      return !edgeOfPair[i] && unitNode[unitPairs[i].a] && unitNode[unitPairs[i].b];
    });
    if (!missing.length) return;
    var added = cy.add(missing.map(unitEdgeElement));
    added.forEach(function (edge) { edgeOfPair[edge.data("index")] = edge; });
    unitEdges = unitEdges.union(added);
  }

  // -- labels that follow the zoom -------------------------------------------------------------
  var quietUnits = false, labelFrame = null;

  function fitLabelsToZoom() {
    // zoomed out, an open group's name grows over its box (outlined in its colour, so that it
    // stays legible past the badge) up to the box's width, and units' labels too small to
    // read are left out; Cytoscape's min-zoomed-font-size rounds the zoom up to a power of
    // two, which would still draw them at 6 px
    var zoom = cy.zoom(), quiet = zoom * UNIT_FONT < UNIT_PX;
    cy.batch(function () {
      if (quiet !== quietUnits) { unitNodes.toggleClass("quiet", quiet); quietUnits = quiet; }
      groups.forEach(function (g, i) {
        var font = BADGE_FONT;
        if (isOpen(i) && zoom * BADGE_FONT < READABLE_PX) {
          font = Math.max(BADGE_FONT, Math.min(READABLE_PX / zoom, placedNow.boxes[i].w / (0.62 * Math.max(3, g.name.length))));
        }
        if (badgeNode[i].data("font") !== font) badgeNode[i].data({ font: font, outline: font > BADGE_FONT ? font / 6 : 0 });
      });
    });
  }
  cy.on("zoom", function () {
    if (labelFrame === null) labelFrame = requestAnimationFrame(function () { labelFrame = null; fitLabelsToZoom(); });
  });

  // -- opening and closing groups ----------------------------------------------------------------

  function arrange() {
    // lays the map out again for the groups open now and moves every node there
    var placed = placement();
    cy.batch(function () {
      groups.forEach(function (g, i) {
        var box = placed.boxes[i], badge = placed.badges[i], open = isOpen(i);
        groupNode[i].data({ w: box.w, h: box.h }).position({ x: box.x, y: box.y });
        groupNode[i].toggleClass("open", open).toggleClass("closed", !open);
        badgeNode[i].data({ w: badge.w, h: badge.h, label: badgeLabel(i) }).position({ x: badge.x, y: badge.y });
        if (open) makeUnits(i, placed);
        members[i].forEach(function (u) {
          var node = unitNode[u];
          if (!node) return;
          node.toggleClass("shut", !open);
          if (open) node.position(placed.units[u]);
        });
      });
    });
    placedNow = placed;
    fitLabelsToZoom();
    report.open = groups.filter(function (g, i) { return isOpen(i); }).length;
    openButtons();
    return placed;
  }

  function showBox(g) {
    // the group's box, as large as fits between a readable zoom and MOST_ZOOM; a box too large
    // for the screen at that zoom shows its top, where the badge is
    var box = placedNow.boxes[g];
    var extent = { x1: box.x - box.w / 2, x2: box.x + box.w / 2, y1: box.y - box.h / 2, y2: box.y + box.h / 2 };
    var view = viewportFor(extent, isOpen(g) ? OPENED_ZOOM : READABLE_ZOOM);
    var top = view.pan.y + view.zoom * (box.y - box.h / 2);
    if (top < 20) view.pan.y += 20 - top;
    cy.viewport(view);
  }

  function setOpen(list, open) {
    list.forEach(function (g) { opened[g] = open; if (!open) revealed.delete(g); });
    arrange();
  }

  function toggle(g) {
    setOpen([g], !isOpen(g));
    if (isOpen(g)) showBox(g); else cy.center(groupNode[g]);
    if (report.selected === "g" + g) selectGroup(g, false);
  }

  function everyGroup() { return groups.map(function (g, i) { return i; }); }
  var expandAll = document.getElementById("expand-all"), collapseAll = document.getElementById("collapse-all");
  expandAll.addEventListener("click", function () {
    cy.elements().unselect();
    clearHighlight();
    setOpen(everyGroup(), true);
    cy.viewport(viewportFor(placedNow.extent, 0));
  });
  collapseAll.addEventListener("click", function () {
    cy.elements().unselect();
    clearHighlight();
    setOpen(everyGroup(), false);
    cy.viewport(viewportFor(placedNow.extent, READABLE_ZOOM));
  });
  function openButtons() {
    var open = report.open;
    expandAll.disabled = open === groups.length;
    collapseAll.disabled = open === 0;
  }

  // -- edge filters ----------------------------------------------------------------------------
  function refreshEdges() {
    var wanted = [];
    unitPairs.forEach(function (p, i) { if (!edgeOfPair[i] && layerShows(p)) wanted.push(i); });
    cy.batch(function () {
      ensureUnitEdges(wanted);
      unitEdges.forEach(function (edge) {
        var p = unitPairs[edge.data("index")], w = weightOf(p);
        if (w > 0) edge.data({ w: w, lw: unitWidth(w) });
        edge.toggleClass("off", !layerShows(p));
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
  var layoutSelect = document.getElementById("layout");
  layoutSelect.value = currentLayout;
  layoutSelect.addEventListener("change", function () {
    currentLayout = layoutSelect.value;
    moved.forEach(function (m) { m.x = 0; m.y = 0; });
    arrange();
    cy.viewport(viewportFor(placedNow.extent, anyOpen() ? 0 : READABLE_ZOOM));
  });
  document.getElementById("fit").addEventListener("click", function () { cy.viewport(viewportFor(placedNow.extent, 0)); });

  var dragFrom = null;
  cy.on("grab", "node.group, node.badge", function (event) { dragFrom = Object.assign({}, event.target.position()); });
  cy.on("drag", "node.group, node.badge", function (event) {
    // a box or its badge carries the other and the units along, and keeps its new place when
    // the map is laid out again
    var node = event.target, p = node.position();
    if (!dragFrom) return;
    var dx = p.x - dragFrom.x, dy = p.y - dragFrom.y, g = node.data("index");
    dragFrom = { x: p.x, y: p.y };
    moved[g].x += dx; moved[g].y += dy;
    cy.batch(function () {
      (node.hasClass("badge") ? groupNode[g] : badgeNode[g]).shift({ x: dx, y: dy });
      members[g].forEach(function (u) { if (unitNode[u]) unitNode[u].shift({ x: dx, y: dy }); });
    });
  });
  cy.on("free", "node.group, node.badge", function () { dragFrom = null; });

  // -- highlighting, search --------------------------------------------------------------------
  function clearHighlight() {
    cy.batch(function () { cy.elements().removeClass("faded focus match holds-match"); });
  }

  function focusOn(collection) {
    cy.batch(function () {
      cy.elements().removeClass("focus match holds-match").addClass("faded");
      collection.removeClass("faded").addClass("focus");
    });
  }

  function groupOf(g) { return groupNode[g].union(badgeNode[g]); }

  var searchBox = document.getElementById("search"), searchCount = document.getElementById("search-count");
  var searchTimer = null;

  function reveal(list) {
    // opens the groups holding a search's matches until the search changes
    var same = list.length === revealed.size && list.every(function (g) { return revealed.has(g); });
    if (same) return false;
    revealed = new Set(list);
    arrange();
    return true;
  }

  function findNames(query) {
    var found = { groups: [], units: [], holding: [] }, holding = new Set();
    groups.forEach(function (g, i) { if (g.name.toLowerCase().indexOf(query) !== -1) found.groups.push(i); });
    units.forEach(function (u, i) {
      if (u.name.toLowerCase().indexOf(query) === -1) return;
      found.units.push(i);
      holding.add(u.group);
    });
    found.holding = Array.from(holding).sort(function (a, b) { return a - b; });
    return found;
  }

  function search(query) {
    query = query.trim().toLowerCase();
    if (!query) {
      clearHighlight();
      searchCount.textContent = "";
      if (reveal([])) cy.viewport(viewportFor(placedNow.extent, anyOpen() ? 0 : READABLE_ZOOM));
      return { groups: [], units: [] };
    }
    var found = findNames(query), few = found.units.length <= REVEAL_MOST;
    reveal(few ? found.holding.filter(function (g) { return !opened[g]; }) : []);
    var matched = cy.collection(), shown = cy.collection(), holders = cy.collection();
    found.groups.forEach(function (g) {
      matched = matched.union(badgeNode[g]);
      shown = shown.union(groupOf(g));
      members[g].forEach(function (u) { if (unitNode[u]) shown = shown.union(unitNode[u]); });
    });
    found.units.forEach(function (u) {
      var g = units[u].group;
      if (isOpen(g)) matched = matched.union(unitNode[u]); else holders = holders.union(groupNode[g]);
      shown = shown.union(groupOf(g));
    });
    cy.batch(function () {
      cy.elements().removeClass("focus match holds-match").addClass("faded");
      shown.union(matched).removeClass("faded");
      matched.addClass("match");
      holders.addClass("holds-match");
    });
    var count = found.groups.length + found.units.length, hidden = holders.length;
    searchCount.textContent = plural(count, "match", "matches") +
      (hidden ? " (" + plural(hidden, "closed group") + " hold some: open them to see)" : "");
    if (count) {
      // close on the matches, with the badges of their groups for bearings
      var near = matched.union(holders);
      found.units.forEach(function (u) { near = near.union(badgeNode[units[u].group]); });
      found.groups.forEach(function (g) { near = near.union(groupNode[g]); });
      cy.fit(near, 60);
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
    // services first
    if (found.groups.length) selectGroup(found.groups[0], false);
    else if (found.units.length) selectUnit(found.units[0], false);
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
        name.appendChild(link(units[e[0]].label, function () { selectUnit(e[0], true); }));
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
      name.appendChild(link(groups[row.g].name, function () { selectGroup(row.g, true); }));
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
    panel.scrollTop = 0;
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
    var group = groups[g], n = members[g].length;
    panel.textContent = "";
    panel.scrollTop = 0;
    panel.appendChild(make("h3", group.name));
    var line = make("p");
    line.appendChild(roleChip(g));
    line.appendChild(document.createTextNode(" " + group.role + " · " + plural(n, data.unit)));
    panel.appendChild(line);
    if (n) {
      var button = make("button", isOpen(g) ? "Hide its " + data.unit + "s" : "Show its " + plural(n, data.unit), "toggle-group");
      button.type = "button";
      button.addEventListener("click", function () { toggle(g); });
      panel.appendChild(button);
    }
    CONTENT.forEach(function (c) { plainList(c[1], group[c[0]]); });
    groupDependencyTable("Outbound: depends on", groupPairs.filter(function (p) { return p.a === g; }), "b");
    groupDependencyTable("Inbound: used by", groupPairs.filter(function (p) { return p.b === g; }), "a");
    panel.appendChild(make("h4", data.unit.charAt(0).toUpperCase() + data.unit.slice(1) + "s (" + n + ")"));
    var ul = make("ul");
    members[g].forEach(function (i) {
      var li = make("li");
      li.appendChild(link(units[i].label, function () { selectUnit(i, true); }));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function selectUnit(i, center) {
    // a unit in a closed group opens it first
    var g = units[i].group;
    if (!isOpen(g)) setOpen([g], true);
    var node = unitNode[i], partners = new Set([g]);
    cy.elements().unselect();
    node.select();
    ensureUnitEdges(pairsOfUnit[i]);
    outgoing[i].concat(incoming[i]).forEach(function (e) { partners.add(units[e[0]].group); });
    var lit = node.closedNeighborhood();
    partners.forEach(function (p) { lit = lit.union(groupOf(p)); });
    focusOn(lit);
    showUnit(i);
    if (center) {
      if (cy.zoom() < OPENED_ZOOM) cy.zoom(OPENED_ZOOM);
      cy.center(node);
    }
    report.selected = node.id();
  }

  function selectGroup(g, center) {
    var node = groupNode[g], ties = badgeNode[g].connectedEdges(), inside = cy.collection();
    cy.elements().unselect();
    node.select();
    if (isOpen(g)) members[g].forEach(function (i) { inside = inside.union(unitNode[i]); });
    var partners = ties.connectedNodes().map(function (badge) { return groupNode[badge.data("index")]; });
    focusOn(node.union(inside).union(ties).union(ties.connectedNodes()).union(partners));
    showGroup(g);
    if (center) showBox(g);
    report.selected = node.id();
  }

  cy.on("tap", "node", function (event) {
    var node = event.target;
    if (node.hasClass("unit")) selectUnit(node.data("index"), false); else selectGroup(node.data("index"), false);
  });
  cy.on("dbltap", "node.group, node.badge", function (event) { toggle(event.target.data("index")); });
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
      button.addEventListener("click", function () { selectGroup(i, true); });
      box.appendChild(button);
    });
  })();

  // -- ready -----------------------------------------------------------------------------------
  groups.forEach(function (g, i) { if (isOpen(i)) makeUnits(i, firstPlacement); });
  fitLabelsToZoom();
  report.open = groups.filter(function (g, i) { return isOpen(i); }).length;
  openButtons();
  report.layoutMs = Math.round(performance.now() - started);
  report.layout = currentLayout;
  report.firstZoom = cy.zoom();
  report.serviceNodes = groupNodes.filter(".service").length;
  report.groupNodes = groupNodes.length;
  report.moduleNodes = units.length;
  report.edges = data.edges.length;
  report.ready = true;
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { report.paintedMs = Math.round(performance.now() - started); });
  });
})();
