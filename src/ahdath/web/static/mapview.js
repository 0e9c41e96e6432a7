// The event map (plotly.js scattermap, drawn by the MapLibre GL it bundles). Exact places are
// clustered markers coloured by event type; a place known only to its district (geo_precision 2)
// or governorate (3) is drawn as a circle of its uncertainty radius around the point, labelled
// "approximate", never as a pin and never jittered. Under the markers: the shipped Natural Earth
// outlines, so the map still reads when the tile server cannot be reached.

export const TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
const OTHER_COLOUR = "#34495e";
export const PRECISION_LABEL = {2: "approximate (district)", 3: "approximate (governorate)"};

export function colourOf(type) {
  return TYPE_COLOURS[type] || OTHER_COLOUR;
}

// a circle of `km` around (lat, lon) as a closed ring of [lon, lat], on the sphere
export function circleRing(lat, lon, km, steps = 40) {
  const R = 6371.0088;
  const d = km / R;
  const p1 = (lat * Math.PI) / 180;
  const l1 = (lon * Math.PI) / 180;
  const ring = [];
  for (let i = 0; i <= steps; i++) {
    const b = (2 * Math.PI * i) / steps;
    const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
    const l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    ring.push([(l2 * 180) / Math.PI, (p2 * 180) / Math.PI]);
  }
  return ring;
}

function baseStyle(tileUrl) {
  const style = {
    version: 8,
    sources: {},
    layers: [{id: "ahdath-background", type: "background", paint: {"background-color": "#eef1f3"}}],
  };
  if (tileUrl) {
    style.sources.tiles = {
      type: "raster", tiles: [tileUrl], tileSize: 256, maxzoom: 19,
      attribution: tileUrl.includes("openstreetmap.org") ? "© OpenStreetMap contributors" : "",
    };
    style.layers.push({id: "ahdath-tiles", type: "raster", source: "tiles"});
  }
  return style;
}

function outlineLayers(outlines) {
  if (!outlines || !Array.isArray(outlines.features)) return [];
  const looks = {coast: ["#5d6d7e", 1.2], country: ["#2c3e50", 1.4], admin1: ["#95a5a6", 0.7]};
  return outlines.features.map((f) => {
    const [colour, width] = looks[f.properties && f.properties.kind] || ["#95a5a6", 0.7];
    return {sourcetype: "geojson", source: {type: "FeatureCollection", features: [f]}, type: "line", color: colour,
      line: {width}, below: "traces"};
  });
}

// centre and zoom that show every point (plotly's map has no fit-bounds of its own)
export function framing(points, width, height) {
  if (!points.length) return {center: {lat: 34.8, lon: 38.5}, zoom: 5};
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const p of points) {
    // an approximate place counts with its whole circle
    const dLat = (p[5] || 0) / 111.2;
    const dLon = dLat / Math.max(0.2, Math.cos((p[1] * Math.PI) / 180));
    w = Math.min(w, p[2] - dLon); e = Math.max(e, p[2] + dLon); s = Math.min(s, p[1] - dLat); n = Math.max(n, p[1] + dLat);
  }
  const lonSpan = Math.max(e - w, 0.5) * 1.15;
  const latSpan = Math.max(n - s, 0.5) * 1.15;
  // web mercator: 256 px show 360 degrees of longitude at zoom 0 (latitude roughly alike at these latitudes)
  const zx = Math.log2((360 * width) / (256 * lonSpan));
  const zy = Math.log2((360 * height) / (256 * latSpan * 1.25));
  return {center: {lat: (s + n) / 2, lon: (w + e) / 2}, zoom: Math.max(1, Math.min(10, Math.min(zx, zy)))};
}

// points: [[event_id, lat, lon, event_type, geo_precision, radius_km, label], ...]
export function mapTraces(points) {
  const byType = new Map();
  for (const p of points) {
    if (!byType.has(p[3])) byType.set(p[3], {exact: [], coarse: []});
    byType.get(p[3])[(p[4] || 1) >= 2 && p[5] > 0 ? "coarse" : "exact"].push(p);
  }
  const traces = [];
  const types = [...byType.keys()].sort();
  // circles first, so the markers are drawn over them
  for (const type of types) {
    const {coarse} = byType.get(type);
    if (!coarse.length) continue;
    const lat = [];
    const lon = [];
    for (const p of coarse) {
      for (const [x, y] of circleRing(p[1], p[2], p[5])) { lon.push(x); lat.push(y); }
      lon.push(null); lat.push(null);
    }
    traces.push({type: "scattermap", mode: "lines", fill: "toself", lat, lon, name: `${type}: approximate area`,
      legendgroup: type, showlegend: false, hoverinfo: "skip", line: {color: colourOf(type), width: 1},
      fillcolor: `${colourOf(type)}22`, meta: {kind: "area", type}});
  }
  for (const type of types) {
    const {exact, coarse} = byType.get(type);
    if (exact.length) {
      traces.push({type: "scattermap", mode: "markers", name: type, legendgroup: type,
        lat: exact.map((p) => p[1]), lon: exact.map((p) => p[2]), customdata: exact.map((p) => p[0]),
        hovertext: exact.map((p) => `${p[0]} · ${type}\n${p[6]}`), hoverinfo: "text",
        marker: {size: 9, color: colourOf(type), opacity: 0.9},
        cluster: {enabled: true, color: colourOf(type), opacity: 0.75, maxzoom: 11, size: [14, 20, 26], step: [10, 100]},
        meta: {kind: "exact", type}});
    }
    if (coarse.length) {
      traces.push({type: "scattermap", mode: "markers", name: `${type} (approximate)`, legendgroup: type,
        lat: coarse.map((p) => p[1]), lon: coarse.map((p) => p[2]), customdata: coarse.map((p) => p[0]),
        hovertext: coarse.map((p) => `${p[0]} · ${type}\n${PRECISION_LABEL[p[4]] || "approximate"}: ${p[6]}`),
        hoverinfo: "text", marker: {size: 7, color: colourOf(type), opacity: 0.45},
        meta: {kind: "approximate", type}});
    }
  }
  return traces;
}

// `revision`: the view the user panned to is kept until it changes (a new filter frames anew)
export function mapLayout(points, {tileUrl, outlines, width, height, view, revision = "keep"}) {
  const frame = view || framing(points, width, height);
  return {
    map: {style: baseStyle(tileUrl), center: frame.center, zoom: frame.zoom, layers: outlineLayers(outlines)},
    margin: {l: 0, r: 0, t: 0, b: 0}, showlegend: false, dragmode: "pan", uirevision: revision,
  };
}

// Plotly.react on a map, kept going when the tile server fails: plotly.js rejects its promise on
// the first map error (a tile that did not load), though MapLibre draws everything else on. The
// page then says the tiles are missing instead of losing the markers. Resolves to true when the
// tiles failed.
export async function plotMap(box, traces, layout, config) {
  try {
    await window.Plotly.react(box, traces, layout, config);
    return false;
  } catch (err) {
    if (!err || err.message !== "Map error.") throw err;
    box.dataset.tiles = "failed";
    return true;
  }
}

// the map's current box as west,south,east,north (for "limit to map view")
export function currentBounds(gd) {
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const m = sub && sub.map;
  if (!m || !m.getBounds) return null;
  const b = m.getBounds();
  const r = (x) => Math.round(x * 1000) / 1000;
  return [r(b.getWest()), r(b.getSouth()), r(b.getEast()), r(b.getNorth())].join(",");
}
