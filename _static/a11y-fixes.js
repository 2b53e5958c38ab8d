/* Accessibility fixes for the Jupyter Book 1 theme (sphinx-book-theme 1.3, pydata-sphinx-theme 0.17,
 * myst-nb 1.4), found by axe-core in tests/browser (rule label-content-name-mismatch, "serious",
 * WCAG 2.5.3 Label in Name: the visible label must be part of the accessible name).
 *
 * - The search button shows "Search Ctrl+K" but is named "Search" by aria-label: where it has
 *   visible text, drop the aria-label so that its name is its text (icon-only buttons keep theirs).
 * - "Show code cell source" toggles (<summary>) are named "Toggle hidden content": same fix.
 * - The colour-mode button is named "Color mode" but its icons carry titles ("Light", "Dark"...),
 *   which count as its text: the icons are decorative, so hide them from assistive technology.
 * - The bibliography (docutils) is a role="list" whose entries have the deprecated role
 *   "doc-biblioentry", so the list has no listitem (axe aria-required-children, "critical"):
 *   give the entries role="listitem".
 */
(function () {
  "use strict";
  function nameFromText(selector, textSelector) {
    document.querySelectorAll(selector).forEach(function (el) {
      var text = textSelector ? el.querySelector(textSelector) : el;
      if (text && text.textContent.trim()) {
        el.removeAttribute("aria-label");
      }
    });
  }
  function fix() {
    nameFromText(".search-button__button[aria-label]", ".search-button__default-text");
    nameFromText("details > summary[aria-label]", null);
    document.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (icon) {
      icon.removeAttribute("title");
      icon.setAttribute("aria-hidden", "true");
      icon.querySelectorAll("title").forEach(function (t) { t.remove(); });
    });
    document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
  window.addEventListener("load", fix); /* again, after the icon font script has run */
})();
