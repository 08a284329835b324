/* sinergi dashboard: draws the charts from JSON the page carries; requests nothing itself
   except the base map from this server. Needs the vendored Plotly. */
(function () {
  "use strict";
  /* no mode bar: its buttons would sit inside role="img"; the tables carry the figures */
  var config = { displayModeBar: false, responsive: true };
  /* Indonesian writes 1.234,5: Plotly's separators are "decimal, thousands" */
  var separators = document.documentElement.lang === "id" ? ",." : ".,";
  function withLocale(layout) { layout.separators = separators; return layout; }

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function outline(geojson) {
    var xs = [], ys = [];
    geojson.features.forEach(function (f) {
      var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      polys.forEach(function (poly) {
        poly[0].forEach(function (p) { xs.push(p[0]); ys.push(p[1]); });
        xs.push(null); ys.push(null);
      });
    });
    return { type: "scatter", mode: "lines", x: xs, y: ys, fill: "toself", fillcolor: "#e8efe9",
             line: { color: "#7d8c83", width: 0.6 }, hoverinfo: "skip", showlegend: false };
  }

  function parkMeta(list) { return list.map(function (p) { return { label: p.name, href: p.href }; }); }

  function smelterTrace(points, name, open) {
    return {
      type: "scatter", mode: "markers", name: name,
      x: points.map(function (p) { return p.lon; }), y: points.map(function (p) { return p.lat; }),
      text: points.map(function (p) { return p.hover; }),
      meta: points.map(function (p) { return { label: p.label, href: null }; }),
      marker: { symbol: open ? "diamond-open" : "diamond", size: 10, color: "#b45309",
                line: { color: open ? "#b45309" : "#1b1f24", width: open ? 2 : 1 } },
      hovertemplate: "%{text}<extra></extra>"
    };
  }

  function drawMap(target, spec, geojson) {
    var key = spec.colour;
    /* on a phone the colour bar goes under the map and the legend lists one entry a line:
       beside the map and in one row they were cut at the right edge at 390 px */
    var narrow = target.clientWidth < 560;
    var colorbar = { title: { text: spec.labels[key], side: narrow ? "top" : "right" },
                     tickformat: key === "coverage" ? ".0%" : "~s" };
    if (narrow) {
      colorbar.orientation = "h"; colorbar.x = 0.5; colorbar.xanchor = "center";
      colorbar.y = -0.22; colorbar.yanchor = "top"; colorbar.len = 0.9; colorbar.thickness = 12;
    }
    var pts = spec.points;
    var known = pts.filter(function (p) { return p[key] !== null && p[key] !== undefined; });
    var unknown = pts.filter(function (p) { return p[key] === null || p[key] === undefined; });
    var label = spec.labels[key];
    var traces = [outline(geojson), {
      type: "scatter", mode: "markers", name: spec.labels.parks + ": " + label,
      x: known.map(function (p) { return p.lon; }), y: known.map(function (p) { return p.lat; }),
      text: known.map(function (p) { return p.name; }), customdata: known.map(function (p) { return p.href; }),
      meta: parkMeta(known),
      marker: { size: 14, color: known.map(function (p) { return p[key]; }), colorscale: "Viridis",
                cmin: 0, cmax: key === "coverage" ? 1 : undefined,
                showscale: known.length > 0, line: { color: "#1b1f24", width: 1 },
                colorbar: colorbar },
      hovertemplate: "%{text}<br>" + label + ": %{marker.color:,.3~r}<extra></extra>"
    }, {
      type: "scatter", mode: "markers", name: spec.labels.parks + ": " + spec.labels.none,
      x: unknown.map(function (p) { return p.lon; }), y: unknown.map(function (p) { return p.lat; }),
      text: unknown.map(function (p) { return p.name; }), customdata: unknown.map(function (p) { return p.href; }),
      meta: parkMeta(unknown),
      marker: { size: 12, color: "#ffffff", line: { color: "#1b1f24", width: 1.5 } },
      hovertemplate: "%{text}<br>" + spec.labels.none + "<extra></extra>"
    }];
    var smelters = spec.smelters || [];
    var sourced = smelters.filter(function (p) { return !p.synthetic; });
    var synthetic = smelters.filter(function (p) { return p.synthetic; });
    /* smelters under the parks (drawn first), so a park among its smelters stays visible */
    var under = [];
    if (sourced.length) { under.push(smelterTrace(sourced, spec.labels.smelters, false)); }
    if (synthetic.length) { under.push(smelterTrace(synthetic, spec.labels.smelters_synthetic, true)); }
    traces.splice.apply(traces, [1, 0].concat(under));
    var layout = {
      /* the legend above the map: below it, its entries ran into the axis title on phones */
      margin: { l: 50, r: 10, t: 10, b: narrow ? 110 : 40 }, showlegend: true,
      legend: { orientation: narrow ? "v" : "h", x: 0, y: 1.02, yanchor: "bottom" },
      xaxis: { title: { text: spec.labels.longitude }, range: [94, 142], showgrid: false, zeroline: false },
      yaxis: { title: { text: spec.labels.latitude }, range: [-11.5, 6.5], scaleanchor: "x", showgrid: false, zeroline: false },
      plot_bgcolor: "#f4f8fb", paper_bgcolor: "#ffffff", dragmode: "pan"
    };
    target._traces = traces;
    return Plotly.newPlot(target, traces, withLocale(layout), config).then(function () {
      markerKeys(target, traces);
      /* newPlot may replace the plot's event emitter: listen once per emitter */
      if (target._listenedTo !== target._ev) {
        target._listenedTo = target._ev;
        target.on("plotly_afterplot", function () { markerKeys(target, target._traces); });
        target.on("plotly_click", function (ev) {
          var href = ev.points && ev.points[0] && ev.points[0].customdata;
          if (href) { window.location.href = href; }
        });
      }
    });
  }

  /* One tab stop for the whole map (roving tabindex): the arrow keys move from marker to
     marker (parks first, then smelters), focus shows the marker's tooltip, Enter opens a
     park's page. Plotly redraws the markers on pan and zoom, so this runs after each plot. */
  function markerKeys(target, traces) {
    /* an empty trace draws no group: find each trace's group by the trace it was drawn for */
    var groups = {};
    target.querySelectorAll(".scatterlayer .trace").forEach(function (g) {
      var drawn = g.__data__ && g.__data__[0] && g.__data__[0].trace;
      if (drawn) { groups[drawn.index] = g; }
    });
    var stops = [];
    [true, false].forEach(function (parks) {  /* parks first, then smelters */
      traces.forEach(function (trace, curve) {
        if (!trace.meta || !groups[curve]) { return; }
        groups[curve].querySelectorAll("path.point").forEach(function (node, i) {
          var item = trace.meta[i];
          if (!item || Boolean(item.href) !== parks) { return; }
          node.setAttribute("tabindex", "-1");
          node.setAttribute("role", item.href ? "link" : "button");
          node.setAttribute("aria-label", item.label);
          node.setAttribute("data-marker", item.href ? "park" : "smelter");
          stops.push({ node: node, curve: curve, point: i, href: item.href });
          if (!node._keyed) { node._keyed = true; listen(target, node); }
        });
      });
    });
    target._stops = stops;
    if (stops.length) { stops[Math.min(target._markerIndex || 0, stops.length - 1)].node.setAttribute("tabindex", "0"); }
  }

  function listen(target, node) {
    function find() {
      var stops = target._stops || [];
      for (var i = 0; i < stops.length; i += 1) { if (stops[i].node === node) { return i; } }
      return -1;
    }
    node.addEventListener("focus", function () {
      var index = find();
      if (index < 0) { return; }
      target._markerIndex = index;
      var stop = target._stops[index];
      Plotly.Fx.hover(target, [{ curveNumber: stop.curve, pointNumber: stop.point }]);
    });
    node.addEventListener("blur", function () { Plotly.Fx.unhover(target); });
    node.addEventListener("keydown", function (ev) {
      var index = find();
      if (index < 0) { return; }
      var stops = target._stops;
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
      if (step) {
        ev.preventDefault();
        var next = stops[(index + step + stops.length) % stops.length];
        node.setAttribute("tabindex", "-1");
        next.node.setAttribute("tabindex", "0");
        next.node.focus();
      } else if ((ev.key === "Enter" || ev.key === " ") && stops[index].href) {
        ev.preventDefault();
        window.location.href = stops[index].href;
      }
    });
  }

  function mapPage() {
    var target = document.getElementById("park-map");
    var spec = data("map-data");
    if (!target || !spec) { return; }
    fetch("/static/map/indonesia.geojson").then(function (r) { return r.json(); }).then(function (geo) {
      var select = document.getElementById("map-colour");
      if (select) {
        select.addEventListener("change", function () { spec.colour = select.value; drawMap(target, spec, geo); });
      }
      drawMap(target, spec, geo).then(function () { document.body.setAttribute("data-ready", "map"); });
    });
  }

  function sankeys() {
    document.querySelectorAll("[data-sankey]").forEach(function (target) {
      var spec = data(target.getAttribute("data-sankey"));
      if (!spec || !spec.links.source.length) { return; }
      Plotly.newPlot(target, [{
        type: "sankey", arrangement: "snap", valueformat: ",.4~r",
        node: { label: spec.nodes, pad: 12, thickness: 14, color: spec.node_colours },
        link: { source: spec.links.source, target: spec.links.target, value: spec.links.value,
                label: spec.links.label, color: spec.links.colour,
                hovertemplate: "%{label}: %{value} %{customdata}<extra></extra>", customdata: spec.links.unit }
      }], withLocale({ margin: { l: 10, r: 10, t: 10, b: 10 }, font: { size: 12 } }), config);
    });
  }

  function bars() {
    document.querySelectorAll("[data-bars]").forEach(function (target) {
      var spec = data(target.getAttribute("data-bars"));
      if (!spec) { return; }
      Plotly.newPlot(target, spec.traces, withLocale(spec.layout), config);
    });
  }

  function ready() {
    mapPage(); sankeys(); bars();
    if (!document.getElementById("park-map")) { document.body.setAttribute("data-ready", "page"); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
