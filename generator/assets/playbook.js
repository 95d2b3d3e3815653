/* Playbook: re-check review status in the reader's browser.
 *
 * Every record page carries its status as built, with its dates:
 *   <div class="pb-meta" data-status="current|due-soon|drifted|overdue"
 *        data-due="YYYY-MM-DD" data-soon="YYYY-MM-DD"> ... <span class="pb-status">Label</span>
 * Badges elsewhere (the freshness page) are <span class="pb-badge" data-status data-due data-soon>.
 * A site that has not been rebuilt for months still warns its readers: once the due date
 * has passed (by the reader's local date), the status becomes "overdue", the label changes and
 * a .pb-overdue-banner is inserted after .pb-meta (unless the page already has one). A status is
 * only ever made more urgent here, never less.
 */
(function () {
  "use strict";

  var ISO = /^\d{4}-\d{2}-\d{2}$/;
  var RANK = { overdue: 0, drifted: 1, "due-soon": 2, current: 3 };
  var LABELS = {
    overdue: "Overdue for review",
    drifted: "Needs re-review",
    "due-soon": "Review due soon",
    current: "Current"
  };

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function isoToday() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // The status an element should show today, or null when it needs no change.
  function judge(element, today) {
    var status = element.getAttribute("data-status");
    var due = element.getAttribute("data-due");
    var soon = element.getAttribute("data-soon");
    if (!Object.prototype.hasOwnProperty.call(RANK, status) || !ISO.test(due || "")) return null;
    var now = status;
    if (today > due) now = "overdue";
    else if (ISO.test(soon || "") && today >= soon) now = "due-soon";
    return RANK[now] < RANK[status] ? now : null;
  }

  function relabel(element, status) {
    element.setAttribute("data-status", status);
    element.setAttribute("data-rechecked", "browser");
    var label = element.classList.contains("pb-badge") ? element : element.querySelector(".pb-status");
    if (label) label.textContent = LABELS[status];
  }

  function insertBanner(meta, due) {
    if (document.querySelector(".pb-overdue-banner")) return;
    var banner = document.createElement("div");
    banner.className = "admonition warning pb-overdue-banner";
    banner.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "This page is overdue for review";
    var body = document.createElement("p");
    body.textContent = "Its review was due on " + due + ". Treat it with care, and ask its owner " +
      "to confirm it is still accurate.";
    banner.appendChild(title);
    banner.appendChild(body);
    meta.parentNode.insertBefore(banner, meta.nextSibling);
  }

  function recheck() {
    var today = isoToday();
    var metas = document.querySelectorAll(".pb-meta[data-due][data-status]");
    for (var i = 0; i < metas.length; i++) {
      var status = judge(metas[i], today);
      if (status) relabel(metas[i], status);
      if (metas[i].getAttribute("data-status") === "overdue") {
        insertBanner(metas[i], metas[i].getAttribute("data-due"));
      }
    }
    var badges = document.querySelectorAll(".pb-badge[data-due][data-status]");
    for (var j = 0; j < badges.length; j++) {
      var badge = judge(badges[j], today);
      if (badge) relabel(badges[j], badge);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(recheck); // Material's instant navigation: every page view
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", recheck);
  } else {
    recheck();
  }
})();

/* Playbook: every glossary term on a page links to its definition.
 *
 * The build marks terms with <abbr title="definition"> (Python-Markdown's abbr extension, fed
 * from the collections that declare x-playbook.glossary) and publishes
 * assets/playbook/glossary.json, a map term -> definition page relative to the site root. Here
 * each <abbr> whose text is a known term, not already inside a link or a heading, is wrapped in
 * a link to that page (not on the definition page itself). Only text and URLs from that map are
 * used; no HTML is built from strings.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch || !window.URL) return;
  var root = new URL("../../", script.src);
  var links = null;

  function linkTerms() {
    if (!links) return;
    var here = window.location.pathname.replace(/index\.html$/, "");
    var terms = document.querySelectorAll(".md-content abbr");
    for (var i = 0; i < terms.length; i++) {
      var abbr = terms[i];
      var term = abbr.textContent;
      if (!Object.prototype.hasOwnProperty.call(links, term) || abbr.closest("a, h1, h2, h3, h4, h5, h6")) {
        continue; // already a link, or a heading (its own anchor)
      }
      var target = new URL(links[term], root);
      if (target.origin !== root.origin || target.pathname === here) continue;
      var a = document.createElement("a");
      a.className = "pb-term";
      a.href = target.href;
      abbr.parentNode.insertBefore(a, abbr);
      a.appendChild(abbr);
    }
  }

  fetch(new URL("assets/playbook/glossary.json", root).href)
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (data) {
      links = data && typeof data === "object" ? data : {};
      if (window.document$ && typeof window.document$.subscribe === "function") {
        window.document$.subscribe(linkTerms);
      } else {
        linkTerms();
      }
    })
    .catch(function () { /* no links: the tooltips still work */ });
})();

/* Playbook: tables that fit a phone.
 *
 * A table of three or more columns is wider than a phone, and Material lets it scroll sideways,
 * out of sight. Each cell gets the text of its column's header as data-label, and the table a
 * data-pb-stack attribute; on narrow screens playbook.css then shows each row as a block of
 * "Header: value" lines, and at any width when the table is still wider than its column
 * (data-pb-overflow). Only header text is copied (textContent into an attribute): no HTML.
 */
(function () {
  "use strict";

  function label(table) {
    if (table.hasAttribute("data-pb-stack") || table.closest(".mermaid")) return;
    var heads = table.querySelectorAll("thead th");
    if (heads.length < 3) return;
    var names = [];
    for (var i = 0; i < heads.length; i++) names.push(heads[i].textContent.replace(/\s+/g, " ").trim());
    var rows = table.querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      for (var c = 0; c < cells.length && c < names.length; c++) {
        if (names[c]) cells[c].setAttribute("data-label", names[c]);
      }
    }
    table.setAttribute("data-pb-stack", "");
  }

  // A labelled table still wider than its column is stacked at any width.
  function fit(table) {
    if (!table.hasAttribute("data-pb-stack")) return;
    table.removeAttribute("data-pb-overflow");
    var box = table.closest(".md-typeset__scrollwrap") || table.parentNode; // Material's scroller
    if (box.clientWidth && box.scrollWidth > box.clientWidth + 1) table.setAttribute("data-pb-overflow", "");
  }

  function stackTables() {
    var tables = document.querySelectorAll(".md-content table");
    for (var i = 0; i < tables.length; i++) {
      label(tables[i]);
      fit(tables[i]);
    }
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(stackTables, 150);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(stackTables);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", stackTables);
  } else {
    stackTables();
  }
})();
