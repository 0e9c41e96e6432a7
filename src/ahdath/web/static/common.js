// What every page shares: the API client (session cookie + CSRF header), the header's login state,
// element building that only ever sets text (never HTML: a report saying <script> shows as text),
// status badges, and the evidence highlighter used by the event, queue and merge pages.

export const config = JSON.parse(document.getElementById("ahdath-config").textContent);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// el("td", {class: "x", dataset: {field: "f"}}, "text", child) -> element; strings become text nodes
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key === "href") node.setAttribute("href", safeHref(value));
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// a link from a report (its url) may be anything: only http(s) and our own paths are followed
export function safeHref(value) {
  const s = String(value);
  if (s.startsWith("/") && !s.startsWith("//")) return s;
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "#";
  } catch {
    return "#";
  }
}

let mePromise = null;

export function me() {
  if (!mePromise) {
    mePromise = fetch("/api/me", {credentials: "same-origin", headers: {accept: "application/json"}})
      .then((r) => (r.ok ? r.json() : {user: null, role: null, csrf: null}))
      .catch(() => ({user: null, role: null, csrf: null}));
  }
  return mePromise;
}

export function canEdit(who) {
  return Boolean(who && who.user && (who.role === "coder" || who.role === "admin"));
}

export async function api(path, {method = "GET", body, query} = {}) {
  const url = new URL(path, window.location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) if (v !== "" && v !== null && v !== undefined) url.searchParams.set(k, v);
  }
  const headers = {accept: "application/json"};
  const init = {method, credentials: "same-origin", headers};
  if (method !== "GET" && method !== "HEAD") {
    const who = await me();
    if (who.csrf) headers["x-csrf-token"] = who.csrf;
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new ApiError(0, "network", `the server did not answer (${err.message})`);
  }
  let data = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) data = await response.json().catch(() => null);
  if (!response.ok) {
    const e = (data && data.error) || {};
    const detail = data && typeof data.detail === "string" ? data.detail : null;
    throw new ApiError(response.status, e.code || `http_${response.status}`,
      e.message || detail || `${method} ${url.pathname}: HTTP ${response.status}`);
  }
  return data;
}

// a read refused because reading needs a login goes to the login page and back
export function loginRedirectOn(err) {
  if (err instanceof ApiError && err.status === 401) {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`/login?next=${encodeURIComponent(next)}`);
    return true;
  }
  return false;
}

export function notice(message, kind = "info") {
  const box = document.getElementById("notice");
  box.textContent = message;
  box.className = `notice ${kind}`;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => box.classList.add("hidden"), kind === "error" ? 9000 : 4000);
}

export function showError(err) {
  if (loginRedirectOn(err)) return;
  notice(err instanceof ApiError ? `${err.message} (${err.code})` : String(err), "error");
}

const STATUS_LABEL = {
  machine: "machine", reviewed: "reviewed", final: "final", machine_updated: "machine updated", flagged: "flagged",
};

export function badge(node, status) {
  const s = status || "machine";
  node.textContent = STATUS_LABEL[s] || s;
  node.className = `badge status-${s}`;
  node.dataset.status = s;
  return node;
}

export async function initHeader() {
  const who = await me();
  const whoBox = document.getElementById("who");
  const logout = document.getElementById("logout-form");
  const login = document.getElementById("login-link");
  if (who.user) {
    whoBox.textContent = `${who.user} (${who.role})`;
    logout.classList.remove("hidden");
    logout.elements.csrf.value = who.csrf || "";
  } else {
    whoBox.textContent = "reading anonymously";
    login.classList.remove("hidden");
    login.setAttribute("href", `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  return who;
}

// -- fields and evidence ---------------------------------------------------------------------------

// the extractor names its evidence spans by role; each role gave these fields
export const ROLE_FIELDS = {
  trigger: ["event_type", "sub_event_type", "disorder_type"],
  actor1: ["actor1", "inter1"],
  actor2: ["actor2", "inter2"],
  assoc_actor_1: ["assoc_actor_1"],
  assoc_actor_2: ["assoc_actor_2"],
  place: ["location", "location_ar", "admin1", "admin2", "admin3", "latitude", "longitude", "geo_precision"],
  date: ["event_date", "year", "time_precision"],
  fatalities: ["fatalities"],
};

export function fieldsOfRole(role) {
  return ROLE_FIELDS[role] || [role];
}

export function roleOfField(field) {
  for (const [role, fields] of Object.entries(ROLE_FIELDS)) if (fields.includes(field)) return role;
  return field;
}

// the fields shown, in ACLED's order
export const SHOWN_FIELDS = [
  "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
  "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "country", "admin1",
  "admin2", "admin3", "location", "location_ar", "latitude", "longitude", "geo_precision", "source",
  "source_url", "fatalities", "confidence", "tags", "notes",
];

export function show(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map(show).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

// The report's text with its evidence spans in <mark>s. Spans may overlap (a toll word is also the
// trigger): the text is cut at every span end and each piece lists every field covering it.
export function highlighted(text, evidence) {
  const box = el("div", {class: "report-text", dir: "rtl", lang: "ar"});
  const valid = (evidence || []).filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end)
    && s.start >= 0 && s.end <= text.length && s.start < s.end);
  // "event" is the clause the event was read from: a faint background, not a field's words
  const clauses = valid.filter((s) => s.field === "event");
  const spans = valid.filter((s) => s.field !== "event");
  const cuts = new Set([0, text.length]);
  for (const s of valid) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = text.slice(a, b);
    const roles = [...new Set(spans.filter((s) => s.start <= a && s.end >= b).map((s) => s.field))].sort();
    const inClause = clauses.some((s) => s.start <= a && s.end >= b);
    if (roles.length === 0) {
      box.append(inClause ? el("span", {class: "clause"}, piece) : document.createTextNode(piece));
    } else {
      const fields = roles.flatMap(fieldsOfRole);
      box.append(el("mark", {class: inClause ? "ev clause" : "ev", tabindex: "0",
        dataset: {roles: roles.join(" "), fields: fields.join(" ")}}, piece));
    }
  }
  return box;
}

// hovering a field row lights the words that gave it, in every report on the page
export function wireFieldHover(fieldsTable, scope) {
  const light = (field, on) => {
    const role = roleOfField(field);
    for (const mark of scope.querySelectorAll("mark.ev")) {
      if (mark.dataset.roles.split(" ").includes(role)) mark.classList.toggle("lit", on);
    }
  };
  fieldsTable.addEventListener("mouseover", (e) => {
    const row = e.target.closest("tr[data-field]");
    if (row) light(row.dataset.field, true);
  });
  fieldsTable.addEventListener("mouseout", (e) => {
    const row = e.target.closest("tr[data-field]");
    if (row) light(row.dataset.field, false);
  });
  fieldsTable.addEventListener("focusin", (e) => {
    const row = e.target.closest("tr[data-field]");
    if (row) light(row.dataset.field, true);
  });
  fieldsTable.addEventListener("focusout", (e) => {
    const row = e.target.closest("tr[data-field]");
    if (row) light(row.dataset.field, false);
  });
}

// clicking lit words says which fields they gave (and the report's value for each)
export function wireSpanClicks(scope, popover, valuesOf) {
  const open = (mark) => {
    const card = mark.closest("[data-report]");
    const values = card ? valuesOf(card.dataset.report) : {};
    popover.replaceChildren(el("strong", {}, "These words gave"),
      el("ul", {}, mark.dataset.fields.split(" ").map((f) => el("li", {}, `${f}: ${show(values[f])}`))));
    const r = mark.getBoundingClientRect();
    popover.classList.remove("hidden");
    popover.style.top = `${window.scrollY + r.bottom + 4}px`;
    popover.style.left = `${Math.max(4, window.scrollX + r.left)}px`;
    popover.dataset.fields = mark.dataset.fields;
  };
  scope.addEventListener("click", (e) => {
    const mark = e.target.closest("mark.ev");
    if (mark) { open(mark); e.stopPropagation(); }
  });
  scope.addEventListener("keydown", (e) => {
    const mark = e.target.closest && e.target.closest("mark.ev");
    if (mark && e.key === "Enter") open(mark);
  });
  document.addEventListener("click", (e) => { if (!popover.contains(e.target)) popover.classList.add("hidden"); });
}

// one report as a card: where it came from, its own values, its text with the evidence lit
export function reportCard(report, {selectable = false} = {}) {
  const values = report.values || {};
  const title = report.title || report.report_id;
  const head = el("header", {},
    selectable ? el("label", {class: "pick"}, el("input", {type: "checkbox", name: "report", value: report.report_id}), " move") : null,
    el("h3", {dir: "auto"}, title),
    el("p", {class: "meta"}, [report.source, report.published].filter(Boolean).join(" · ") || "—"),
    report.url ? el("a", {href: report.url, rel: "noopener noreferrer nofollow", target: "_blank", class: "url"}, report.url) : null);
  const own = el("table", {class: "own"}, el("tbody", {},
    ["event_date", "sub_event_type", "actor1", "actor2", "location_ar", "admin1", "fatalities"]
      .filter((f) => f in values)
      .map((f) => el("tr", {dataset: {field: f}}, el("th", {}, f), el("td", {dir: "auto"}, show(values[f]))))));
  return el("section", {class: "report", dataset: {report: report.report_id}}, head, own,
    highlighted(report.text || "", report.evidence));
}

// the canonical fields, each with what the reports said when they disagree
export function fieldsBody(event, {disagreements = {}, status = "machine", pinned = [], editable = false} = {}) {
  const rows = [];
  const unreviewed = status === "machine" || status === "machine_updated";
  if (unreviewed) {
    rows.push(el("tr", {class: "unreviewed-note"}, el("td", {colspan: "2"},
      status === "machine_updated" ? "Re-extraction changed this event: its machine values (in italics) are unreviewed."
        : "Machine values (in italics) are unreviewed until accepted.")));
  }
  for (const f of SHOWN_FIELDS) {
    if (!(f in event)) continue;
    const isPinned = pinned.includes(f);
    const valueCell = el("td", {dir: "auto", class: isPinned ? "value pinned" : unreviewed ? "value unreviewed" : "value"},
      show(event[f]));
    if (isPinned) valueCell.append(el("span", {class: "tag", title: "set by hand"}, "pinned"));
    const others = disagreements[f];
    if (Array.isArray(others) && others.length > 1) {
      valueCell.append(el("ul", {class: "disagree", title: "the reports disagree"},
        others.map((v) => el("li", {dir: "auto"}, show(v)))));
    }
    rows.push(el("tr", {dataset: {field: f}, tabindex: editable ? "0" : null}, el("th", {}, f), valueCell));
  }
  return el("tbody", {}, rows);
}

export function pinnedList(detail) {
  const p = detail && detail.pinned;
  if (!p) return [];
  if (Array.isArray(p)) return p;
  if (typeof p === "object") return Object.keys(p);
  return [];
}
