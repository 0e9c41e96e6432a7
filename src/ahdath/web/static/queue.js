// The review queue, driven by the keyboard: riskiest events first; j/k move, a accepts and moves
// on, e edits a field, m merges, s splits the ticked reports out, f flags, x rejects, ? helps.
import {
  api, badge, canEdit, el, fieldsBody, initHeader, notice, pinnedList, reportCard, showError, wireFieldHover,
} from "./common.js";
import {editField} from "./edit.js";

const list = document.getElementById("queue");
let items = [];
let index = 0;
let current = null; // the event page's data for items[index]
let who = {user: null};

function ask(label, {validate = (v) => (v.trim() ? null : "give an answer")} = {}) {
  const dialog = document.getElementById("ask-dialog");
  const form = document.getElementById("ask-form");
  const input = document.getElementById("ask-input");
  const error = document.getElementById("ask-error");
  document.getElementById("ask-label").textContent = label;
  input.value = "";
  error.textContent = "";
  return new Promise((resolve) => {
    const done = (v) => {
      form.removeEventListener("submit", onSubmit);
      document.getElementById("ask-cancel").removeEventListener("click", onCancel);
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      resolve(v);
    };
    const onCancel = (e) => { e.preventDefault(); done(null); };
    const onSubmit = (e) => {
      e.preventDefault();
      const problem = validate(input.value);
      if (problem) { error.textContent = problem; return; }
      done(input.value.trim());
    };
    form.addEventListener("submit", onSubmit);
    document.getElementById("ask-cancel").addEventListener("click", onCancel);
    dialog.addEventListener("cancel", onCancel);
    dialog.showModal();
    input.focus();
  });
}

function renderList() {
  list.replaceChildren(...items.map((it, i) => el("li", {class: i === index ? "current" : "", dataset: {eventId: it.event_id}},
    el("a", {href: `/events/${encodeURIComponent(it.event_id)}`}, it.event_id),
    el("span", {class: "risk"}, ` ${Number(it.risk).toFixed(2)}`),
    el("span", {class: "reasons"}, ` ${(it.reasons || []).join(", ")}`))));
  document.getElementById("queue-count").textContent = items.length
    ? `${index + 1} of ${items.length}` : "Nothing to review.";
  const li = list.children[index];
  if (li) li.scrollIntoView({block: "nearest"});
}

async function show() {
  renderList();
  const it = items[index];
  const box = document.getElementById("current");
  if (!it) {
    box.dataset.eventId = "";
    return;
  }
  try {
    current = await api(`/api/events/${encodeURIComponent(it.event_id)}`);
  } catch (err) {
    showError(err);
    return;
  }
  if (items[index] !== it) return; // moved on while loading
  const link = document.getElementById("current-link");
  link.textContent = it.event_id;
  link.setAttribute("href", `/events/${encodeURIComponent(it.event_id)}`);
  badge(document.getElementById("current-status"), current.status);
  document.getElementById("current-reasons").textContent = `risk ${Number(it.risk).toFixed(2)}: ${(it.reasons || []).join(", ") || "—"}`;
  document.getElementById("current-fields").replaceChildren(fieldsBody(current.event || {}, {
    disagreements: current.disagreements || {}, status: current.status, pinned: pinnedList(current)}));
  document.getElementById("current-reports").replaceChildren(
    ...(current.reports || []).map((r) => reportCard(r, {selectable: canEdit(who)})));
  box.dataset.eventId = it.event_id;
  box.dataset.status = current.status || "";
}

function move(delta) {
  if (!items.length) return;
  index = Math.max(0, Math.min(items.length - 1, index + delta));
  show();
}

async function afterChange(message, {drop = false} = {}) {
  notice(message);
  if (drop) {
    items.splice(index, 1);
    if (index >= items.length) index = Math.max(0, items.length - 1);
  }
  await show();
}

async function act(key) {
  const it = items[index];
  if (!it || !current) return;
  const id = encodeURIComponent(it.event_id);
  try {
    if (key === "a") {
      await api(`/api/events/${id}/accept`, {method: "POST", body: {}});
      // accepted events leave the queue's head: the next one is the riskiest left
      await afterChange(`${it.event_id} accepted`, {drop: true});
    } else if (key === "e") {
      if (current.event && await editField(current.event)) await afterChange(`${it.event_id} edited`);
    } else if (key === "f") {
      const note = await ask("Why flag it?");
      if (note === null) return;
      await api(`/api/events/${id}/flag`, {method: "POST", body: {note}});
      await afterChange(`${it.event_id} flagged`, {drop: true});
    } else if (key === "x") {
      const note = await ask("Why reject (delete) it?");
      if (note === null) return;
      await api(`/api/events/${id}/reject`, {method: "POST", body: {note}});
      await afterChange(`${it.event_id} rejected`, {drop: true});
    } else if (key === "m") {
      const other = await ask(`Merge which event into ${it.event_id}?`, {
        validate: (v) => (/^[A-Za-z]{2,4}-?[0-9A-Za-z]+$/.test(v.trim()) && v.trim() !== it.event_id ? null : "an event id such as SYR12, not this one"),
      });
      if (other === null) return;
      await api("/api/merge", {method: "POST", body: {keep: it.event_id, other}});
      items = items.filter((x) => x.event_id !== other);
      index = Math.max(0, items.findIndex((x) => x.event_id === it.event_id));
      await afterChange(`${other} merged into ${it.event_id}`);
    } else if (key === "s") {
      const ticked = [...document.querySelectorAll("#current-reports input[name=report]:checked")].map((c) => c.value);
      if (!ticked.length) { notice("tick the reports to move out first", "error"); return; }
      const answer = await api(`/api/events/${id}/split`, {method: "POST", body: {report_ids: ticked}});
      const made = answer && (answer.event_id || answer.new_event_id || (answer.event && answer.event.event_id));
      await afterChange(`split: ${ticked.length} report(s) moved${made ? ` to ${made}` : ""}`);
    }
  } catch (err) {
    showError(err);
  }
}

function onKey(e) {
  if (e.target.closest("input:not([type=checkbox]), textarea, select, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
  const key = e.key;
  if (key === "j" || key === "ArrowDown") { e.preventDefault(); move(1); }
  else if (key === "k" || key === "ArrowUp") { e.preventDefault(); move(-1); }
  else if (key === "?") { e.preventDefault(); document.getElementById("help-dialog").showModal(); }
  else if (key === "Enter" && items[index]) window.location.assign(`/events/${encodeURIComponent(items[index].event_id)}`);
  else if ("aefxms".includes(key) && key.length === 1) {
    e.preventDefault();
    if (!canEdit(who)) { notice("log in as a coder to review", "error"); return; }
    act(key);
  }
}

async function main() {
  who = await initHeader();
  document.getElementById("help-button").addEventListener("click", () => document.getElementById("help-dialog").showModal());
  list.addEventListener("click", (e) => {
    const li = e.target.closest("li[data-event-id]");
    if (!li || e.target.closest("a")) return;
    index = items.findIndex((x) => x.event_id === li.dataset.eventId);
    show();
  });
  document.addEventListener("keydown", onKey);
  wireFieldHover(document.getElementById("current-fields"), document.getElementById("current-reports"));
  try {
    const data = await api("/api/queue", {query: {limit: 200}});
    items = data.items || [];
  } catch (err) {
    showError(err);
  }
  await show();
  document.body.dataset.ready = "1";
}

main();
