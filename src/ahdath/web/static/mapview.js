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
// past this many approximate places the circles (41 points each) would cost the browser more than
// they tell: the places stay faint points, labelled approximate, until a filter narrows them
export const MAX_CIRCLES = 2000;

// plotly.js reads a few HTML tags in hover text (<b>, <a href>, <br>): what comes from the store is
// given as entities, so a place named "<a href=...>" shows as those characters
export function plain(value) {
  return String(value ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// trace uids end up in CSS selectors inside plotly.js (".cbarea-" + uid): letters, digits and dashes only
function slug(type) {
  return type.replace(/[^A-Za-z0-9]+/g, "-");
}

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

// One style object per tile setting, handed to plotly every time: plotly.js compares the style it
// holds with the new one as JSON and calls setStyle when they differ, and MapLibre amends the object
// it was given, so a fresh object at each update would reload the style and lose the outline layers
// ("source ... not found").
const styles = new Map();

function baseStyle(tileUrl) {
  if (!styles.has(tileUrl)) styles.set(tileUrl, makeStyle(tileUrl));
  return styles.get(tileUrl);
}

function makeStyle(tileUrl) {
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

const outlineCache = new WeakMap();

function outlineLayers(outlines) {
  if (!outlines || !Array.isArray(outlines.features)) return [];
  if (!outlineCache.has(outlines)) outlineCache.set(outlines, makeOutlineLayers(outlines));
  return outlineCache.get(outlines);
}

function makeOutlineLayers(outlines) {
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
  // web mercator as MapLibre counts it: at zoom z the world is 512 * 2^z px wide, 360 degrees of longitude or 2 pi of
  // mercator y; the box is given 15 % to spare
  const merc = (lat) => Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360));
  const lonSpan = Math.max(e - w, 0.5) * 1.15;
  const ySpan = Math.max(merc(n) - merc(s), 0.01) * 1.15;
  const zx = Math.log2((360 * width) / (512 * lonSpan));
  const zy = Math.log2((2 * Math.PI * height) / (512 * ySpan));
  return {center: {lat: (s + n) / 2, lon: (w + e) / 2}, zoom: Math.max(1, Math.min(10, Math.min(zx, zy)))};
}

// points: [[event_id, lat, lon, event_type, geo_precision, radius_km, label], ...]
// The same traces (by uid) come back at every update, empty where a filter leaves a type out:
// plotly.js fails to take a clustered trace off a map ("source cannot be removed while layer ...
// is using it"), so none is ever taken off.
export function mapTraces(points) {
  const types = [...Object.keys(TYPE_COLOURS), "other"];
  const byType = new Map(types.map((t) => [t, {exact: [], coarse: []}]));
  for (const p of points) {
    const bucket = byType.get(p[3] in TYPE_COLOURS ? p[3] : "other");
    bucket[(p[4] || 1) >= 2 && p[5] > 0 ? "coarse" : "exact"].push(p);
  }
  const traces = [];
  const nCoarse = types.reduce((n, t) => n + byType.get(t).coarse.length, 0);
  const drawCircles = nCoarse <= MAX_CIRCLES;
  // circles first, so the markers are drawn over them
  for (const type of types) {
    const {coarse} = byType.get(type);
    const lat = [];
    const lon = [];
    for (const p of drawCircles ? coarse : []) {
      for (const [x, y] of circleRing(p[1], p[2], p[5])) { lon.push(x); lat.push(y); }
      lon.push(null); lat.push(null);
    }
    traces.push({type: "scattermap", uid: `area-${slug(type)}`, mode: "lines", fill: "toself", lat, lon,
      name: `${type}: approximate area`, legendgroup: type, showlegend: false, hoverinfo: "skip",
      line: {color: colourOf(type), width: 1}, fillcolor: `${colourOf(type)}22`, meta: {kind: "area", type}});
  }
  // nothing per point but the coordinates: a label or a customdata value for each of 100,000 points
  // costs the browser seconds. The hover says the type and precision (the trace's); the ids stay in
  // meta.ids, where a click finds the point's event by its index (eventAt).
  for (const type of types) {
    const {exact, coarse} = byType.get(type);
    const name = plain(type);
    traces.push({type: "scattermap", uid: `exact-${slug(type)}`, mode: "markers", name: type, legendgroup: type,
      lat: exact.map((p) => p[1]), lon: exact.map((p) => p[2]),
      hovertemplate: `${name}<br>click to open<extra></extra>`,
      marker: {size: 9, color: colourOf(type), opacity: 0.9},
      cluster: {enabled: true, color: colourOf(type), opacity: 0.75, maxzoom: 11, size: [14, 20, 26], step: [10, 100]},
      meta: {kind: "exact", type, ids: exact.map((p) => p[0])}});
    for (const precision of [2, 3]) {
      const some = coarse.filter((p) => p[4] === precision || (precision === 3 && p[4] > 3));
      traces.push({type: "scattermap", uid: `approx${precision}-${slug(type)}`, mode: "markers",
        name: `${type} (${PRECISION_LABEL[precision]})`, legendgroup: type,
        lat: some.map((p) => p[1]), lon: some.map((p) => p[2]),
        hovertemplate: `${name}<br>${PRECISION_LABEL[precision]}: a circle of ${some.length ? some[0][5] : 0} km<extra></extra>`,
        marker: {size: 7, color: colourOf(type), opacity: 0.45},
        meta: {kind: "approximate", precision, type, ids: some.map((p) => p[0])}});
    }
  }
  return traces;
}

// the event id of a clicked point (plotly's click event), or null (a cluster, a circle)
export function eventAt(point) {
  const ids = point && point.data && point.data.meta && point.data.meta.ids;
  const i = point && point.pointNumber;
  return ids && Number.isInteger(i) && typeof ids[i] === "string" ? ids[i] : null;
}

// `revision`: the view the user panned to is kept until it changes (a new filter frames anew)
export function mapLayout(points, {tileUrl, outlines, width, height, view, revision = "keep"}) {
  const frame = view || framing(points, width, height);
  return {
    map: {style: baseStyle(tileUrl), center: frame.center, zoom: frame.zoom, layers: outlineLayers(outlines)},
    margin: {l: 0, r: 0, t: 0, b: 0}, showlegend: false, dragmode: "pan", uirevision: revision,
  };
}

// Whether the tile server answers: one tile of zoom 0, fetched opaque (no-cors) within a few
// seconds. plotly.js turns every tile MapLibre fails to load into a rejected promise and leaves
// the map half-updated after it, so a server that does not answer is left out of the style and
// the map draws the shipped outlines alone. Asked once per page.
let tilesProbe = null;

export function tilesReachable(tileUrl) {
  if (!tileUrl) return Promise.resolve(false);
  if (!tilesProbe) {
    const url = tileUrl.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0").replace("{s}", "a");
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 4000);
    tilesProbe = fetch(url, {mode: "no-cors", cache: "force-cache", credentials: "omit", signal: abort.signal})
      .then(() => true, () => false)
      .finally(() => clearTimeout(timer));
  }
  return tilesProbe;
}

// a tile server that fails later (the connection drops) still rejects plotly's promises, where no
// one waits for them: that is not a fault of the page
window.addEventListener("unhandledrejection", (e) => {
  if (e.reason && e.reason.message === "Map error.") e.preventDefault();
});

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
