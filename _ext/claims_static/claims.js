// Open a claim box's reason when the page is opened at, or jumps to, the claim's anchor (e.g. from the ledger).
(function () {
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var box = document.getElementById(id);
    if (box && box.classList.contains("claim")) {
      var details = box.querySelector("details.claim-details");
      if (details) details.open = true;
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openTarget);
  } else {
    openTarget();
  }
  window.addEventListener("hashchange", openTarget);
})();
