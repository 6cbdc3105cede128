// Progressive enhancement for the staff pages. Loaded as a module file (the CSP forbids
// inline script), it marks the page as supported and starts the design-system components.
import { initAll as initGovuk } from "/static/vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "/static/vendor/moj-frontend/moj-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initGovuk();
initMoj();

// The slip's print button: without script, the page says how to print instead.
for (const button of document.querySelectorAll("[data-triage-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Account setup: the one-time token is in the link's fragment (after "#"), which browsers
// never send, so it stays out of access logs. Move it into the form, drop it from the
// address bar and history, and hide the paste field.
const landing = document.getElementById("setup-landing");
if (landing && window.location.hash.length > 1) {
  const field = landing.querySelector("input[name=token]");
  field.value = decodeURIComponent(window.location.hash.slice(1));
  history.replaceState(null, "", window.location.pathname);
  field.closest(".govuk-form-group").hidden = true;
}
