// The login form posts to /login as a plain form; it carries the CSRF token /api/me gives, and
// where to go back to.
import {initHeader, me} from "./common.js";

async function main() {
  await initHeader();
  const form = document.getElementById("login-form");
  const params = new URLSearchParams(window.location.search);
  const next = params.get("next") || "/";
  // only a path of this site: a login must not bounce the user elsewhere
  form.elements.next.value = next.startsWith("/") && !next.startsWith("//") ? next : "/";
  const who = await me();
  form.elements.csrf.value = who.csrf || "";
  const error = params.get("error");
  if (error) {
    const box = document.getElementById("login-error");
    const said = {bad_login: "Wrong name or password.", rate_limited: "Too many failed logins: wait a few minutes."};
    box.textContent = said[error] || error;
    box.classList.remove("hidden");
  }
  form.elements.name.focus();
}

main();
