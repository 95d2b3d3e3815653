/* Playbook: re-check a record's freshness in the reader's browser, so that a site
   that has not been rebuilt for a while still warns when a page is overdue. */
(function () {
  "use strict";

  function isoToday() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  function recheck() {
    var meta = document.querySelector(".pb-meta[data-due]");
    if (!meta || meta.getAttribute("data-status") === "overdue") return;
    var due = meta.getAttribute("data-due");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(due) || isoToday() <= due) return;
    meta.setAttribute("data-status", "overdue");
    var label = meta.querySelector(".pb-status");
    if (label) label.textContent = "Overdue for review";
    if (document.querySelector(".pb-overdue-banner")) return;
    var banner = document.createElement("div");
    banner.className = "admonition warning pb-overdue-banner";
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "This page is overdue for review";
    var body = document.createElement("p");
    body.textContent = "Its review was due on " + due +
      ". Treat it with care, and ask its owner to confirm it is still accurate.";
    banner.appendChild(title);
    banner.appendChild(body);
    meta.parentNode.insertBefore(banner, meta.nextSibling);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(recheck);
  } else {
    document.addEventListener("DOMContentLoaded", recheck);
  }
})();
