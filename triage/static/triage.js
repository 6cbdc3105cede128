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
