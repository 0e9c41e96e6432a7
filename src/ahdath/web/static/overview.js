// The overview: map, table and chart over one filter kept in the page's URL (a filtered view is a
// link; back and forward restore it).
import {api, badge, config, el, initHeader, showError, show} from "./common.js";
import {
  colourOf, currentBounds, eventAt, mapLayout, mapTraces, MAX_CIRCLES, plotMap, PRECISION_LABEL, tilesReachable, TYPE_COLOURS,
} from "./mapview.js";

const FILTER_KEYS = ["since", "until", "type", "sub_type", "actor", "country", "admin1", "bbox", "status",
  "conf_min", "conf_max", "tag", "q"];
const PAGE_KEYS = ["sort", "order", "page"];
const PER_PAGE = 50;
const form = document.getElementById("filters");
let outlinesPromise = null;
let loadSeq = 0;

function stateFromURL() {
  const params = new URLSearchParams(window.location.search);
  const state = {};
  for (const k of [...FILTER_KEYS, ...PAGE_KEYS]) {
    const v = params.get(k);
    if (v !== null && v !== "") state[k] = v;
  }
  return state;
}

function fillForm(state) {
  for (const k of [...FILTER_KEYS, ...PAGE_KEYS]) {
    const input = form.elements[k];
    if (input) input.value = state[k] || "";
  }
  fillSubTypes(state.type || "", state.sub_type || "");
}

function formState() {
  const state = {};
  for (const k of [...FILTER_KEYS, ...PAGE_KEYS]) {
    const input = form.elements[k];
    const v = input ? String(input.value).trim() : "";
    if (v !== "") state[k] = v;
  }
  return state;
}

function fillSubTypes(type, selected) {
  const sel = form.elements.sub_type;
  const subs = type ? config.event_types[type] || [] : Object.values(config.event_types).flat();
  sel.replaceChildren(el("option", {value: ""}, "any"), ...subs.map((s) => el("option", {value: s}, s)));
  sel.value = subs.includes(selected) ? selected : "";
}

function go(dirty, {replace = false} = {}) {
  const state = Object.fromEntries(Object.entries(dirty).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const qs = new URLSearchParams(state).toString();
  const url = qs ? `/?${qs}` : "/";
  if (url !== window.location.pathname + window.location.search) {
    window.history[replace ? "replaceState" : "pushState"](state, "", url);
  }
  fillForm(state);
  load(state);
}

function filtersOf(state) {
  const f = {};
  for (const k of FILTER_KEYS) if (state[k]) f[k] = state[k];
  return f;
}

// -- table ------------------------------------------------------------------------------------------

function eventRow(e) {
  // each name isolated (<bdi>): an Arabic place name must not reorder the English around it
  const name = e.location || e.location_ar;
  const place = [name ? el("bdi", {}, name) : null, name && e.admin1 && e.admin1 !== name ? ", " : null,
    e.admin1 && e.admin1 !== name ? el("bdi", {}, e.admin1) : null].filter(Boolean);
  const precision = e.geo_precision >= 2 ? el("span", {class: "approx"}, ` ${PRECISION_LABEL[e.geo_precision]}`) : null;
  return el("tr", {dataset: {eventId: e.event_id}},
    el("td", {}, el("a", {href: `/events/${encodeURIComponent(e.event_id)}`}, e.event_id)),
    el("td", {}, show(e.event_date)),
    el("td", {}, el("span", {class: "swatch", dataset: {type: e.event_type || ""}}), show(e.sub_event_type)),
    el("td", {}, [e.actor1, e.actor2].filter(Boolean).join(" vs ") || "—"),
    el("td", {}, place.length ? place : "—", precision),
    el("td", {class: "num"}, show(e.fatalities)),
    el("td", {class: "num"}, typeof e.confidence === "number" ? e.confidence.toFixed(2) : "—"),
    el("td", {}, badge(el("span"), e.status)),
    el("td", {class: "tags"}, (Array.isArray(e.tags) ? e.tags : String(e.tags || "").split(";")).filter(Boolean).join(", ")));
}

function renderTable(data, state) {
  const tbody = document.querySelector("#events tbody");
  tbody.replaceChildren(...data.events.map(eventRow));
  const page = data.page || 1;
  const pages = Math.max(1, Math.ceil(data.total / (data.per_page || PER_PAGE)));
  document.getElementById("count").textContent = `${data.total} event${data.total === 1 ? "" : "s"}`;
  document.getElementById("page-info").textContent = `page ${page} of ${pages}`;
  document.getElementById("prev-page").disabled = page <= 1;
  document.getElementById("next-page").disabled = page >= pages;
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    const on = (state.sort || "event_date") === th.dataset.sort;
    th.setAttribute("aria-sort", on ? ((state.order || "desc") === "asc" ? "ascending" : "descending") : "none");
  }
  for (const sw of tbody.querySelectorAll(".swatch")) sw.style.backgroundColor = colourOf(sw.dataset.type);
}

// -- chart and map ----------------------------------------------------------------------------------

// days are summed by week (starting Monday) past half a year: thousands of one-day bars neither read
// nor draw well (plotly draws each as an SVG path)
const WEEKLY_PAST_DAYS = 183;

function weekOf(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function renderChart(stats) {
  const rows = (stats.per_day || []).filter((r) => r.date);
  const days = rows.map((r) => r.date).sort();
  const span = days.length ? (Date.parse(days[days.length - 1]) - Date.parse(days[0])) / 86400000 : 0;
  const weekly = span > WEEKLY_PAST_DAYS;
  const byType = new Map();
  for (const row of rows) {
    if (!byType.has(row.event_type)) byType.set(row.event_type, new Map());
    const bin = weekly ? weekOf(row.date) : row.date;
    const counts = byType.get(row.event_type);
    counts.set(bin, (counts.get(bin) || 0) + row.n);
  }
  const traces = [...byType.keys()].sort().map((t) => ({type: "bar", name: t, x: [...byType.get(t).keys()],
    y: [...byType.get(t).values()], marker: {color: colourOf(t), line: {width: 0}},
    hovertemplate: `%{x}: %{y} ${weekly ? "in the week" : ""}<extra>${t.replace(/</g, "&lt;")}</extra>`}));
  const box = document.getElementById("chart");
  box.dataset.bins = weekly ? "week" : "day";
  window.Plotly.react(box, traces, {
    barmode: "stack", bargap: 0.1, margin: {l: 40, r: 10, t: 10, b: 40}, height: 260, xaxis: {type: "date"},
    yaxis: {title: {text: weekly ? "events per week" : "events per day"}, rangemode: "tozero"},
    legend: {orientation: "h", y: -0.25},
  }, {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"]});
}

function renderLegend(points) {
  const counts = {};
  let approx = 0;
  for (const p of points) { counts[p[3]] = (counts[p[3]] || 0) + 1; if (p[4] >= 2) approx += 1; }
  const legend = document.getElementById("legend");
  legend.replaceChildren(...Object.keys(TYPE_COLOURS).filter((t) => counts[t]).map((t) => {
    const sw = el("span", {class: "swatch"});
    sw.style.backgroundColor = colourOf(t);
    return el("span", {class: "legend-item"}, sw, `${t} (${counts[t]})`);
  }), approx ? el("span", {class: "legend-item approx"}, approx <= MAX_CIRCLES
    ? `circles: ${approx} approximate places (district or governorate)`
    : `${approx} approximate places shown as faint points (over ${MAX_CIRCLES}: filter to see their circles)`) : "");
}

function outlines() {
  if (!outlinesPromise) {
    outlinesPromise = fetch(config.outlines).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  }
  return outlinesPromise;
}

async function renderMap(points, filters) {
  const box = document.getElementById("map");
  const tiles = await tilesReachable(config.tile_url);
  const layout = mapLayout(points, {tileUrl: tiles ? config.tile_url : "", outlines: await outlines(),
    width: box.clientWidth || 800, height: box.clientHeight || 480,
    revision: new URLSearchParams(filters).toString() || "all"});
  const noTiles = await plotMap(box, mapTraces(points), layout, {displaylogo: false, responsive: true, scrollZoom: true});
  document.getElementById("tile-credit").textContent = noTiles || !tiles
    ? (config.tile_url ? "The tile server could not be reached: the map shows the shipped outlines only." : "")
    : config.tile_url.includes("openstreetmap.org") ? "Tiles © OpenStreetMap contributors." : "";
  box.dataset.points = String(points.length);
  renderLegend(points);
  if (!box.dataset.wired) {
    box.dataset.wired = "1";
    box.on("plotly_click", (ev) => {
      const id = eventAt(ev && ev.points && ev.points[0]);
      if (id) window.location.assign(`/events/${encodeURIComponent(id)}`);
    });
  }
}

// -- loading ----------------------------------------------------------------------------------------

async function load(state) {
  const seq = ++loadSeq;
  const filters = filtersOf(state);
  const exportQuery = new URLSearchParams(filters).toString();
  document.getElementById("export-csv").setAttribute("href", `/api/export?format=acled-csv${exportQuery ? `&${exportQuery}` : ""}`);
  document.getElementById("export-geojson").setAttribute("href", `/api/export?format=geojson${exportQuery ? `&${exportQuery}` : ""}`);
  document.body.dataset.loading = "1";
  try {
    // asked at once, each drawn as it comes: the table and the chart first, the map (MapLibre,
    // WebGL, the largest answer) last
    const eventsP = api("/api/events", {query: {...filters, sort: state.sort, order: state.order, page: state.page,
      per_page: PER_PAGE}});
    const pointsP = api("/api/map", {query: filters});
    const statsP = api("/api/stats", {query: filters});
    // a failure of any is reported once, by the await below that meets it
    pointsP.catch(() => null);
    statsP.catch(() => null);
    const events = await eventsP;
    if (seq !== loadSeq) return; // a newer filter was applied meanwhile
    renderTable(events, state);
    const stats = await statsP;
    if (seq !== loadSeq) return;
    renderChart(stats);
    const points = await pointsP;
    if (seq !== loadSeq) return;
    await renderMap(points.points || [], filters);
  } catch (err) {
    showError(err);
  } finally {
    if (seq === loadSeq) delete document.body.dataset.loading;
    document.body.dataset.loaded = String(seq);
  }
}

function main() {
  initHeader();
  document.getElementById("actor-names").replaceChildren(...config.actors.map((a) => el("option", {value: a})));
  const typeSel = form.elements.type;
  typeSel.append(...Object.keys(config.event_types).map((t) => el("option", {value: t}, t)));
  typeSel.addEventListener("change", () => fillSubTypes(typeSel.value, form.elements.sub_type.value));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const state = formState();
    delete state.page;
    go(state);
  });
  document.getElementById("clear-filters").addEventListener("click", () => go({}));
  document.getElementById("use-view").addEventListener("click", () => {
    const bbox = currentBounds(document.getElementById("map"));
    if (bbox) go({...formState(), bbox, page: undefined});
  });
  document.querySelector("#events thead").addEventListener("click", (e) => {
    const th = e.target.closest("th[data-sort]");
    if (!th) return;
    const state = stateFromURL();
    const same = (state.sort || "event_date") === th.dataset.sort;
    const order = same && (state.order || "desc") === "desc" ? "asc" : "desc";
    go({...state, sort: th.dataset.sort, order, page: undefined});
  });
  const turn = (delta) => {
    const state = stateFromURL();
    const page = Math.max(1, Number(state.page || 1) + delta);
    go({...state, page: String(page)});
  };
  document.getElementById("prev-page").addEventListener("click", () => turn(-1));
  document.getElementById("next-page").addEventListener("click", () => turn(1));
  window.addEventListener("popstate", () => {
    const state = stateFromURL();
    fillForm(state);
    load(state);
  });
  const state = stateFromURL();
  fillForm(state);
  load(state);
}

main();
