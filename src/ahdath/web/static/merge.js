// Merge and split: the store's suggested duplicates (the rule that fired, its score; m merges, d
// dismisses for good), and the grid of one event's reports (columns) by fields (rows) where clicking
// a report's value adopts it into the event, pinned as `ahdath edit` pins.
import {api, badge, canEdit, el, initHeader, notice, show, showError} from "./common.js";

const GRID_FIELDS = ["event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
  "assoc_actor_2", "civilian_targeting", "country", "admin1", "admin2", "admin3", "location", "location_ar",
  "latitude", "longitude", "geo_precision", "fatalities"];
// a report's coordinates come with its place: adopting one adopts the set
const TOGETHER = {
  latitude: ["latitude", "longitude", "geo_precision", "location", "location_ar"],
  longitude: ["latitude", "longitude", "geo_precision", "location", "location_ar"],
};

let pairs = [];
let index = 0;
let who = {user: null};
let gridEvent = null;

function renderPairs() {
  const tbody = document.querySelector("#suggestions tbody");
  tbody.replaceChildren(...pairs.map((p, i) => el("tr", {class: i === index ? "current" : "", dataset: {a: p.a, b: p.b}},
    el("td", {}, el("a", {href: `/events/${encodeURIComponent(p.a)}`}, p.a)),
    el("td", {}, el("a", {href: `/events/${encodeURIComponent(p.b)}`}, p.b)),
    el("td", {}, show(p.rule)),
    el("td", {class: "num"}, typeof p.score === "number" ? p.score.toFixed(2) : show(p.score)),
    el("td", {}, (p.reasons || []).join("; ")),
    el("td", {}, canEdit(who) ? [
      el("button", {type: "button", dataset: {act: "merge"}}, "Merge (m)"), " ",
      el("button", {type: "button", dataset: {act: "dismiss"}}, "Dismiss (d)")] : ""))));
  if (!pairs.length) tbody.append(el("tr", {}, el("td", {colspan: "6"}, "No suggested duplicates.")));
}

async function loadPairs() {
  try {
    pairs = (await api("/api/suggestions")).suggestions || [];
  } catch (err) {
    showError(err);
  }
  index = Math.min(index, Math.max(0, pairs.length - 1));
  renderPairs();
}

async function pairAction(act, i = index) {
  const p = pairs[i];
  if (!p) return;
  try {
    if (act === "merge") {
      await api("/api/merge", {method: "POST", body: {keep: p.a, other: p.b}});
      notice(`${p.b} merged into ${p.a}`);
      await showGrid(p.a);
    } else {
      await api("/api/suggestions/dismiss", {method: "POST", body: {a: p.a, b: p.b}});
      notice(`${p.a} and ${p.b}: not the same incident (remembered)`);
    }
    pairs.splice(i, 1);
    index = Math.min(index, Math.max(0, pairs.length - 1));
    renderPairs();
  } catch (err) {
    showError(err);
  }
}

// -- the grid ---------------------------------------------------------------------------------------

function renderGrid(d) {
  gridEvent = d;
  const ev = d.event || {};
  const reports = d.reports || [];
  document.getElementById("grid-title").classList.remove("hidden");
  document.getElementById("grid-hint").classList.toggle("hidden", !canEdit(who));
  const link = document.getElementById("grid-link");
  link.textContent = d.event_id;
  link.setAttribute("href", `/events/${encodeURIComponent(d.event_id)}`);
  badge(document.getElementById("grid-status"), d.status);
  const pinned = d.pinned || [];
  const grid = document.getElementById("grid");
  grid.querySelector("thead").replaceChildren(el("tr", {},
    el("th", {}, "field"), el("th", {class: "canonical"}, "event"),
    reports.map((r) => el("th", {dataset: {report: r.report_id}},
      canEdit(who) ? el("label", {}, el("input", {type: "checkbox", name: "split", value: r.report_id}), " ") : "",
      el("span", {dir: "auto"}, r.title || r.report_id), el("br"), el("small", {}, [r.source, r.published].filter(Boolean).join(" · "))))));
  grid.querySelector("tbody").replaceChildren(...GRID_FIELDS.map((f) => el("tr", {dataset: {field: f}},
    el("th", {}, f),
    el("td", {class: pinned.includes(f) ? "canonical pinned" : "canonical", dir: "auto"}, show(ev[f])),
    reports.map((r) => {
      const v = (r.values || {})[f];
      const same = JSON.stringify(v) === JSON.stringify(ev[f]);
      return el("td", {dir: "auto", class: same ? "same" : "differs", dataset: {report: r.report_id}},
        canEdit(who) && v !== undefined && v !== null && !same
          ? el("button", {type: "button", class: "adopt", title: "adopt this value", dataset: {field: f, report: r.report_id}}, show(v))
          : show(v));
    }))));
  document.getElementById("split-button").classList.toggle("hidden", !canEdit(who) || reports.length < 2);
  document.getElementById("merge-form").classList.toggle("hidden", !canEdit(who) || !d.event);
}

async function mergeInto(other) {
  if (!gridEvent || !other || other === gridEvent.event_id) return;
  try {
    await api("/api/merge", {method: "POST", body: {keep: gridEvent.event_id, other}});
    notice(`${other} merged into ${gridEvent.event_id}`);
    document.getElementById("merge-other").value = "";
    await showGrid(gridEvent.event_id);
  } catch (err) {
    showError(err);
  }
}

async function showGrid(eventId) {
  try {
    renderGrid(await api(`/api/events/${encodeURIComponent(eventId)}`));
    document.getElementById("grid-event").value = eventId;
  } catch (err) {
    showError(err);
  }
}

async function adopt(field, reportId) {
  const report = (gridEvent.reports || []).find((r) => String(r.report_id) === reportId);
  if (!report) return;
  const values = {};
  for (const f of TOGETHER[field] || [field]) {
    const v = (report.values || {})[f];
    if (v !== undefined && v !== null) values[f] = v;
  }
  // a sub-type carries its type: adopting one alone could leave them apart
  if (field === "sub_event_type" && report.values.event_type) values.event_type = report.values.event_type;
  if (field === "event_type" && report.values.sub_event_type) values.sub_event_type = report.values.sub_event_type;
  try {
    await api(`/api/events/${encodeURIComponent(gridEvent.event_id)}`, {method: "PATCH", body: {values, unset: []}});
    notice(`${gridEvent.event_id}: ${Object.keys(values).join(", ")} adopted from ${reportId}`);
    await showGrid(gridEvent.event_id);
  } catch (err) {
    showError(err);
  }
}

async function split() {
  const ticked = [...document.querySelectorAll("#grid input[name=split]:checked")].map((c) => c.value);
  if (!ticked.length) { notice("tick the reports to move into a new event", "error"); return; }
  try {
    const answer = await api(`/api/events/${encodeURIComponent(gridEvent.event_id)}/split`,
      {method: "POST", body: {report_ids: ticked}});
    const made = answer && (answer.event_id || answer.new_event_id || (answer.event && answer.event.event_id));
    notice(`${ticked.length} report(s) moved${made ? ` to ${made}` : ""}`);
    await showGrid(gridEvent.event_id);
  } catch (err) {
    showError(err);
  }
}

async function main() {
  who = await initHeader();
  document.querySelector("#suggestions tbody").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-act]");
    const tr = e.target.closest("tr[data-a]");
    if (!tr) return;
    const i = pairs.findIndex((p) => p.a === tr.dataset.a && p.b === tr.dataset.b);
    if (b) pairAction(b.dataset.act, i);
    else if (!e.target.closest("a")) { index = i; renderPairs(); }
  });
  document.getElementById("grid-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = document.getElementById("grid-event").value.trim();
    if (id) showGrid(id);
  });
  document.getElementById("grid").addEventListener("click", (e) => {
    const b = e.target.closest("button.adopt");
    if (b) adopt(b.dataset.field, b.dataset.report);
  });
  document.getElementById("split-button").addEventListener("click", split);
  document.getElementById("merge-form").addEventListener("submit", (e) => {
    e.preventDefault();
    mergeInto(document.getElementById("merge-other").value.trim());
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input:not([type=checkbox]), textarea, select, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j" || e.key === "ArrowDown") { index = Math.min(pairs.length - 1, index + 1); renderPairs(); }
    else if (e.key === "k" || e.key === "ArrowUp") { index = Math.max(0, index - 1); renderPairs(); }
    else if (e.key === "Enter" && pairs[index]) showGrid(pairs[index].a);
    else if ((e.key === "m" || e.key === "d") && pairs[index]) {
      if (!canEdit(who)) { notice("log in as a coder to merge or dismiss", "error"); return; }
      pairAction(e.key === "m" ? "merge" : "dismiss");
    }
  });
  await loadPairs();
  const wanted = new URLSearchParams(window.location.search).get("event");
  if (wanted) await showGrid(wanted);
  document.body.dataset.ready = "1";
}

main();
