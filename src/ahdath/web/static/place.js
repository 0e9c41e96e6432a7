// Fix the cause: a place no gazetteer knew goes into the user gazetteer (name, coordinates clicked
// on the map or typed, admin levels, source), and the reports that named it are extracted again.
import {api, canEdit, config, el, initHeader, notice, showError} from "./common.js";
import {COUNTRY_BOXES} from "./edit.js";
import {mapLayout, plotMap, tilesReachable} from "./mapview.js";

const form = document.getElementById("place-form");
const error = document.getElementById("place-error");

function check(values) {
  if (!values.name) return "give the place's name as the reports write it";
  const lat = Number(values.latitude);
  const lon = Number(values.longitude);
  if (values.latitude === "" || values.longitude === "" || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    return "give the coordinates: click the map or type them";
  }
  const box = COUNTRY_BOXES[values.country];
  if (box && !(lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3])) {
    return `${lat}, ${lon} is not inside ${values.country}`;
  }
  if (!values.source) return "say where the coordinates come from (a map, a list, a report)";
  return null;
}

let outlinesPromise = null;

function near() {
  const [lat, lon] = (new URLSearchParams(window.location.search).get("near") || "").split(",").map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) ? {lat, lon} : null;
}

async function drawMap(lat, lon) {
  const box = document.getElementById("place-map");
  if (!outlinesPromise) outlinesPromise = fetch(config.outlines).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  const outlines = await outlinesPromise;
  const here = Number.isFinite(lat) && Number.isFinite(lon) ? [[null, lat, lon]] : [];
  const around = here.length ? {lat, lon} : near();
  const tileUrl = (await tilesReachable(config.tile_url)) ? config.tile_url : "";
  const layout = mapLayout(here, {tileUrl, outlines, width: box.clientWidth || 500,
    height: box.clientHeight || 400, view: around ? {center: around, zoom: 8} : null});
  await plotMap(box, [{type: "scattermap", mode: "markers", lat: here.map((p) => p[1]), lon: here.map((p) => p[2]),
    marker: {size: 12, color: "#c0392b"}, hoverinfo: "skip"}], layout, {displaylogo: false, scrollZoom: true});
}

function wireMapClicks() {
  // a click anywhere on the map (not only on a marker) sets the point: read it from MapLibre itself
  const box = document.getElementById("place-map");
  const sub = box._fullLayout && box._fullLayout.map && box._fullLayout.map._subplot;
  if (!sub || !sub.map) return;
  sub.map.on("click", (e) => {
    form.elements.latitude.value = e.lngLat.lat.toFixed(5);
    form.elements.longitude.value = e.lngLat.lng.toFixed(5);
    drawMap(e.lngLat.lat, e.lngLat.lng);
  });
}

async function main() {
  const who = await initHeader();
  const params = new URLSearchParams(window.location.search);
  const country = form.elements.country;
  country.replaceChildren(...config.countries.map((c) => el("option", {value: c}, c)));
  for (const k of ["name", "admin1", "admin2", "admin3", "latitude", "longitude"]) {
    if (params.get(k)) form.elements[k].value = params.get(k);
  }
  if (params.get("country") && config.countries.includes(params.get("country"))) country.value = params.get("country");
  // the user gazetteer moves every later extraction of the name: the server lets admins add to it
  if (!canEdit(who) || who.role !== "admin") {
    error.textContent = "Log in as an admin to add places.";
    form.querySelector("button[type=submit]").disabled = true;
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    for (const k of Object.keys(values)) values[k] = String(values[k]).trim();
    const problem = check(values);
    error.textContent = problem || "";
    if (problem) return;
    const body = {name: values.name, latitude: Number(values.latitude), longitude: Number(values.longitude),
      country: values.country, source: values.source};
    for (const k of ["admin1", "admin2", "admin3", "name_en"]) if (values[k]) body[k] = values[k];
    try {
      const answer = await api("/api/gazetteer", {method: "POST", body});
      const changed = (answer && (answer.events || answer.changed)) || [];
      document.getElementById("place-result").classList.remove("hidden");
      document.getElementById("place-changed").replaceChildren(...changed.map((c) => {
        const id = typeof c === "string" ? c : c.event_id;
        return el("li", {}, el("a", {href: `/events/${encodeURIComponent(id)}`}, id));
      }));
      notice(`${values.name} added; ${changed.length} event(s) changed`);
    } catch (err) {
      error.textContent = err.message;
      showError(err);
    }
  });
  const typed = () => drawMap(Number(form.elements.latitude.value || NaN), Number(form.elements.longitude.value || NaN));
  form.elements.latitude.addEventListener("change", typed);
  form.elements.longitude.addEventListener("change", typed);
  const lat = Number(form.elements.latitude.value || NaN);
  const lon = Number(form.elements.longitude.value || NaN);
  await drawMap(lat, lon);
  wireMapClicks();
  document.body.dataset.ready = "1";
}

main();
