// "Going further" blocks (_ext/going_further.py) are closed <details>. Open the ones around the target of the
// address's #anchor (a {ref} to a label inside a block, a link from the page's table of contents), on load, on
// hashchange and on a click on a link to the current anchor; open them all before printing.
(function () {
  "use strict";
  // The block's own anchors (the section's id, its label's <span>) sit in the <section> just outside the
  // <details>; anchors of the content sit inside it.
  function openAround(target) {
    var opened = false;
    for (var node = target; node; node = node.parentElement) {
      var details = null;
      if (node.tagName === "DETAILS" && node.classList.contains("going-further")) {
        details = node;
      } else if (node.tagName === "SECTION" && node.classList.contains("going-further")) {
        details = node.querySelector(":scope > details.going-further");
      }
      if (details && !details.open) {
        details.open = true;
        opened = true;
      }
    }
    return opened;
  }
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && openAround(target)) {
      target.scrollIntoView();
    }
  }
  function onClick(event) {
    var link = event.target.closest && event.target.closest("a[href*='#']");
    if (!link || link.hash !== window.location.hash || link.pathname !== window.location.pathname) return;
    openTarget(); // same anchor again: no hashchange event
  }
  var printed = [];
  function beforePrint() {
    document.querySelectorAll("details.going-further:not([open])").forEach(function (details) {
      details.open = true;
      printed.push(details);
    });
  }
  function afterPrint() {
    printed.forEach(function (details) { details.open = false; });
    printed = [];
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openTarget);
  } else {
    openTarget();
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("click", onClick);
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
})();
