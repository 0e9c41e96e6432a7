// The "edit a field" dialog shared by the event page and the review queue. It checks what it can
// before asking the server (which checks again and has the last word): a sub-type belongs to its
// type, a date is a date, a toll a whole number, coordinates lie inside the event's country; an
// actor is offered from the known names, and a new name is taken once confirmed.
import {api, config, el} from "./common.js";

// rough boxes (west, south, east, north) of the countries ahdath codes (data/countries.yaml), to catch
// a swapped or mistyped coordinate before the server refuses it
export const COUNTRY_BOXES = config.country_boxes || {};

const SUB_TO_TYPE = Object.fromEntries(
  Object.entries(config.event_types).flatMap(([type, subs]) => subs.map((s) => [s, type])));

const ACTOR_FIELDS = ["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"];

export function choicesFor(field) {
  if (field === "sub_event_type") return Object.keys(SUB_TO_TYPE);
  if (field === "event_type") return Object.keys(config.event_types);
  if (ACTOR_FIELDS.includes(field)) return config.actors;
  if (field === "geo_precision") return ["1", "2", "3"];
  return [];
}

// -> {values: {...}} ready to PATCH, or throws Error(message) naming the problem
export function validate(field, raw, event) {
  const value = String(raw).trim();
  if (value === "" && field !== "notes") throw new Error(`${field}: give a value, or tick "unpin"`);
  switch (field) {
    case "sub_event_type": {
      if (!(value in SUB_TO_TYPE)) throw new Error(`"${value}" is not an ACLED sub-event type`);
      return {values: {sub_event_type: value}};
    }
    case "event_type": {
      if (!(value in config.event_types)) throw new Error(`"${value}" is not an ACLED event type`);
      const sub = event && event.sub_event_type;
      if (sub && SUB_TO_TYPE[sub] !== value) {
        throw new Error(`sub-type "${sub}" belongs to "${SUB_TO_TYPE[sub]}", not "${value}": change the sub-type instead`);
      }
      return {values: {event_type: value}};
    }
    case "event_date": {
      const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      const date = d && new Date(Date.UTC(+d[1], +d[2] - 1, +d[3]));
      if (!d || date.getUTCMonth() !== +d[2] - 1 || date.getUTCDate() !== +d[3]) {
        throw new Error(`event_date must be a day as YYYY-MM-DD, not "${value}"`);
      }
      return {values: {event_date: value}};
    }
    case "fatalities": {
      if (!/^\d{1,6}$/.test(value)) throw new Error(`fatalities must be a whole number, not "${value}"`);
      return {values: {fatalities: Number(value)}};
    }
    case "geo_precision": {
      if (!["1", "2", "3"].includes(value)) throw new Error("geo_precision is 1 (town), 2 (district) or 3 (governorate)");
      return {values: {geo_precision: Number(value)}};
    }
    case "latitude":
    case "longitude": {
      const n = Number(value);
      const limit = field === "latitude" ? 90 : 180;
      if (!Number.isFinite(n) || Math.abs(n) > limit) throw new Error(`${field} must be a number within ±${limit}`);
      const box = event && COUNTRY_BOXES[event.country];
      if (box) {
        const [w, s, e, nn] = box;
        const lat = field === "latitude" ? n : event.latitude;
        const lon = field === "longitude" ? n : event.longitude;
        const inLat = lat === null || lat === undefined || (lat >= s && lat <= nn);
        const inLon = lon === null || lon === undefined || (lon >= w && lon <= e);
        if (!(inLat && inLon)) throw new Error(`${lat}, ${lon} is not inside ${event.country}`);
      }
      return {values: {[field]: n}};
    }
    default:
      return {values: {[field]: value}};
  }
}

export function isNewActor(field, value) {
  return ACTOR_FIELDS.includes(field) && value.trim() !== "" && !config.actors.includes(value.trim());
}

// opens the dialog on `event`; resolves to the PATCH answer, or null when cancelled
export function editField(event, {field} = {}) {
  const dialog = document.getElementById("edit-dialog");
  const form = document.getElementById("edit-form");
  const fieldSel = document.getElementById("edit-field");
  const input = document.getElementById("edit-value");
  const unset = document.getElementById("edit-unset");
  const error = document.getElementById("edit-error");
  const choices = document.getElementById("edit-choices");
  let confirmedNew = "";
  const fill = () => {
    const f = fieldSel.value;
    const v = event[f];
    input.value = v === null || v === undefined ? "" : String(v);
    input.setAttribute("dir", f === "location_ar" || f === "notes" ? "auto" : "ltr");
    choices.replaceChildren(...choicesFor(f).map((c) => el("option", {value: c})));
    error.textContent = "";
  };
  if (field) fieldSel.value = field;
  unset.checked = false;
  fill();
  return new Promise((resolve) => {
    const done = (answer) => {
      form.removeEventListener("submit", onSubmit);
      fieldSel.removeEventListener("change", fill);
      document.getElementById("edit-cancel").removeEventListener("click", onCancel);
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onCancel = (e) => { e.preventDefault(); done(null); };
    const onSubmit = async (e) => {
      e.preventDefault();
      const f = fieldSel.value;
      let body;
      try {
        body = unset.checked ? {values: {}, unset: [f]} : {unset: [], ...validate(f, input.value, event)};
      } catch (err) {
        error.textContent = err.message;
        return;
      }
      if (!unset.checked && isNewActor(f, input.value) && confirmedNew !== input.value) {
        confirmedNew = input.value;
        error.textContent = `"${input.value.trim()}" is not a known actor: press Save again to add it as a new name`;
        return;
      }
      try {
        done(await api(`/api/events/${encodeURIComponent(event.event_id)}`, {method: "PATCH", body}));
      } catch (err) {
        error.textContent = `${err.message}${err.code ? ` (${err.code})` : ""}`;
      }
    };
    form.addEventListener("submit", onSubmit);
    fieldSel.addEventListener("change", fill);
    document.getElementById("edit-cancel").addEventListener("click", onCancel);
    dialog.addEventListener("cancel", onCancel);
    dialog.showModal();
    input.focus();
    input.select();
  });
}
