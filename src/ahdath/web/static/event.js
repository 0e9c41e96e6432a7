// The event page: every field (with what the reports disagree on), the reports side by side with
// their own values and their Arabic text right to left with the evidence lit, and the history as a diff.
import {
  api, badge, canEdit, el, fieldsBody, initHeader, notice, pinnedList, reportCard, show, showError,
  wireFieldHover, wireSpanClicks,
} from "./common.js";
import {editField} from "./edit.js";

const root = document.getElementById("event");
const eventId = root.dataset.eventId;
let detail = null;

function historyItem(change) {
  const before = change.before || {};
  const after = change.after || {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const when = change.at ? new Date(change.at * 1000).toISOString().replace("T", " ").slice(0, 19) : "";
  return el("li", {},
    el("p", {class: "change-head"}, el("time", {}, when), " ", el("strong", {}, change.user || change.actor || "?"), " ",
      change.action || "", change.detail ? ` — ${change.detail}` : ""),
    keys.length ? el("table", {class: "diff"}, el("tbody", {}, keys.map((k) => el("tr", {},
      el("th", {}, k),
      el("td", {class: "del", dir: "auto"}, show(before[k])),
      el("td", {class: "ins", dir: "auto"}, show(after[k])))))) : null);
}

function render(d) {
  detail = d;
  const ev = d.event;
  badge(document.getElementById("event-status"), d.status || (ev && ev.status));
  const gone = document.getElementById("gone");
  if (!ev) {
    gone.classList.remove("hidden");
    const stone = d.tombstone || {};
    gone.replaceChildren(`This event was ${stone.reason || "deleted"}`,
      stone.merged_into ? el("span", {}, " into ", el("a", {href: `/events/${stone.merged_into}`}, stone.merged_into)) : "",
      stone.detail ? ` (${stone.detail})` : "", ".");
  }
  const table = document.getElementById("fields");
  table.replaceChildren(fieldsBody(ev || {}, {disagreements: d.disagreements || {}, status: d.status, pinned: pinnedList(d)}));
  const reasons = d.merge_reasons;
  const reasonBox = document.getElementById("merge-reasons");
  const reasonList = (Array.isArray(reasons) ? reasons : [])
    .map((r) => (typeof r === "string" ? r : r && r.reason ? `${r.report_id}: ${r.reason}` : null)).filter(Boolean);
  reasonBox.textContent = reasonList.length ? `Why the reports merged: ${reasonList.join("; ")}` : "";
  const reports = document.getElementById("reports");
  reports.replaceChildren(...(d.reports || []).map((r) => reportCard(r)));
  reports.classList.toggle("single", (d.reports || []).length < 2);
  document.getElementById("history").replaceChildren(...(d.history || []).map(historyItem).reverse());
  const tags = String((ev && ev.tags) || "");
  const fix = document.getElementById("fix-place");
  if (ev && tags.split(";").includes("unresolved_place")) {
    const q = new URLSearchParams({name: ev.location_ar || ev.location || "", country: ev.country || "",
      admin1: ev.admin1 || "", event: ev.event_id || eventId});
    // where the engine put it instead (its district or governorate): the map opens there
    if (typeof ev.latitude === "number" && typeof ev.longitude === "number") q.set("near", `${ev.latitude},${ev.longitude}`);
    document.getElementById("fix-place-link").setAttribute("href", `/places/new?${q}`);
    fix.classList.remove("hidden");
  } else {
    fix.classList.add("hidden");
  }
}

async function load() {
  try {
    render(await api(`/api/events/${encodeURIComponent(eventId)}`));
  } catch (err) {
    if (err.status === 404) {
      document.getElementById("gone").classList.remove("hidden");
      document.getElementById("gone").textContent = `No event ${eventId}.`;
      return;
    }
    showError(err);
  }
}

async function act(action, field) {
  if (!detail || !detail.event) return;
  try {
    if (action === "edit") {
      if (await editField(detail.event, {field})) { notice("saved"); await load(); }
      return;
    }
    let note;
    if (action === "flag" || action === "reject") {
      note = window.prompt(action === "flag" ? "Why flag it?" : "Why reject (delete) it?");
      if (note === null) return;
    }
    await api(`/api/events/${encodeURIComponent(eventId)}/${action}`, {method: "POST", body: note ? {note} : {}});
    notice(`${eventId}: ${action} done`);
    await load();
  } catch (err) {
    showError(err);
  }
}

async function main() {
  const who = await initHeader();
  const actions = document.getElementById("actions");
  const editor = canEdit(who);
  if (editor) {
    actions.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-action]");
      if (b) act(b.dataset.action);
    });
    // a double click on a field's value edits that field
    document.getElementById("fields").addEventListener("dblclick", (e) => {
      const row = e.target.closest("tr[data-field]");
      if (row && document.getElementById("edit-field").querySelector(`option[value="${row.dataset.field}"]`)) {
        act("edit", row.dataset.field);
      }
    });
    document.addEventListener("keydown", (e) => {
      if (e.target.closest("input, textarea, select, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
      const action = {a: "accept", f: "flag", x: "reject", e: "edit"}[e.key];
      if (action) { e.preventDefault(); act(action); }
    });
  }
  wireFieldHover(document.getElementById("fields"), document.getElementById("reports"));
  wireSpanClicks(document.getElementById("reports"), document.getElementById("span-popover"),
    (reportId) => ((detail && detail.reports) || []).find((r) => String(r.report_id) === reportId)?.values || {});
  await load();
  // the actions show once the event they act on is loaded: a key pressed before then would act on nothing
  if (editor) actions.classList.remove("hidden");
  document.body.dataset.ready = "1";
}

main();
