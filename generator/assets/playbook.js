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

/* Playbook: small words do not match on their own in search.
 *
 * Material adds a trailing wildcard to every word typed before its search worker runs the query,
 * so "propose a change" also asked for every word starting with "a" (and, after, account...) and
 * listed pages that share nothing with the question but that letter. Here the query a reader
 * typed is passed on without English stop words (lunr's list, the one the index was built
 * with) unless it has nothing else, or a quoted phrase. Only the query string sent to Material's
 * worker ({type: 2, data: query}) changes; every other message passes untouched.
 */
(function () {
  "use strict";

  var STOP = {};
  ("a able about across after all almost also am among an and any are as at be because been but by " +
   "can cannot could dear did do does either else ever every for from get got had has have he her " +
   "hers him his how however i if in into is it its just least let like likely may me might most " +
   "must my neither no nor not of off often on only or other our own rather said say says she " +
   "should since so some than that the their them then there these they this tis to too twas us " +
   "wants was we were what when where which while who whom why will with would yet you your")
    .split(" ").forEach(function (word) { STOP[word] = true; });

  // The query without its stop words, or the query itself when that would leave nothing.
  function withoutStopWords(query) {
    if (typeof query !== "string" || query.indexOf('"') !== -1) return query;
    var words = query.split(/\s+/).filter(function (w) { return w.length > 0; });
    var kept = words.filter(function (w) {
      return !Object.prototype.hasOwnProperty.call(STOP, w.toLowerCase().replace(/[*~^]+$/, ""));
    });
    return kept.length && kept.length < words.length ? kept.join(" ") : query;
  }
  window.playbookSearchQuery = withoutStopWords; // for the tests: the same function the page uses

  if (!window.Worker || !window.Worker.prototype) return;
  var post = window.Worker.prototype.postMessage;
  window.Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === 2 && typeof message.data === "string") {
      args[0] = { type: 2, data: withoutStopWords(message.data) };
    }
    return post.apply(this, args);
  };
})();

/* Playbook: "When is it due?" on SLA pages.
 *
 * The same rule as generator/rules/clock.py (tested against it on one table of cases): the clock runs
 * only in working hours ("from" to "to", minutes after midnight) on working days ("days", 0 =
 * Monday), never on a closed day ("closed": [first, last] ISO dates, observed days already
 * applied); an arrival outside working hours starts at the next opening; a deadline ending at
 * closing time is due then. Times are wall-clock times of the stated time zone: days are counted
 * on UTC dates so the reader's own time zone and summer time never shift them.
 * Contract: .pb-clock[data-clock] > input.pb-clock__date, input.pb-clock__time,
 * td.pb-clock__due[data-minutes]; only text is written (textContent).
 */
(function () {
  "use strict";

  var DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var MAX_DAYS = 3660;
  var DAY_MS = 86400000;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }
  function weekday(ms) { return (new Date(ms).getUTCDay() + 6) % 7; } // 0 = Monday

  function closed(day, ranges) {
    for (var i = 0; i < ranges.length; i++) if (ranges[i][0] <= day && day <= ranges[i][1]) return true;
    return false;
  }

  // Due moment {day: "YYYY-MM-DD", minute: n} for an arrival (ISO date, minutes after midnight).
  function due(rule, date, at, minutes) {
    var parts = date.split("-");
    var ms = Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
    var left = minutes;
    for (var i = 0; i < MAX_DAYS; i++) {
      var day = iso(ms);
      if (rule.days.indexOf(weekday(ms)) !== -1 && !closed(day, rule.closed)) {
        var begin = Math.max(at, rule.from);
        if (begin < rule.to) {
          if (left <= rule.to - begin) return { day: day, minute: begin + left };
          left -= rule.to - begin;
        }
      }
      ms += DAY_MS;
      at = 0;
    }
    return null;
  }

  function shown(moment) {
    if (!moment) return "not within ten years";
    var p = moment.day.split("-");
    var ms = Date.UTC(+p[0], +p[1] - 1, +p[2]) + Math.floor(moment.minute / 1440) * DAY_MS;
    var d = new Date(ms), m = moment.minute % 1440;
    return DAYS[weekday(ms)] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " +
      d.getUTCFullYear() + ", " + pad(Math.floor(m / 60)) + ":" + pad(m % 60);
  }

  function setup(box) {
    if (box.getAttribute("data-clock-ready")) return;
    var rule;
    try { rule = JSON.parse(box.getAttribute("data-clock")); } catch (e) { return; }
    var date = box.querySelector(".pb-clock__date"), time = box.querySelector(".pb-clock__time");
    if (!rule || !date || !time) return;
    function update() {
      var t = /^(\d{2}):(\d{2})/.exec(time.value || "");
      var ok = /^\d{4}-\d{2}-\d{2}$/.test(date.value || "") && t;
      var cells = box.querySelectorAll(".pb-clock__due");
      for (var i = 0; i < cells.length; i++) {
        var minutes = parseInt(cells[i].getAttribute("data-minutes"), 10);
        cells[i].textContent = ok ? shown(due(rule, date.value, +t[1] * 60 + +t[2], minutes)) : "enter a date and a time";
      }
    }
    date.addEventListener("input", update);
    time.addEventListener("input", update);
    date.addEventListener("change", update);
    time.addEventListener("change", update);
    box.setAttribute("data-clock-ready", "");
    update();
  }

  window.playbookDue = function (rule, date, at, minutes) { return shown(due(rule, date, at, minutes)); };

  function all() {
    var boxes = document.querySelectorAll(".pb-clock[data-clock]");
    for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(all);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
})();

/* Playbook: glossary terms on a touch screen.
 *
 * A term is an <abbr title="definition"> inside a.pb-term (above). A mouse hovers to read the
 * definition and clicks to follow the link; a finger cannot hover, so the first tap on a term
 * shows its definition in a .pb-term-tip next to it (role="tooltip", its text from the title
 * attribute, set with textContent) and a second tap on the same term follows the link. A tap
 * anywhere else, or Escape, closes it.
 */
(function () {
  "use strict";

  var touched = false;
  var open = null; // the a.pb-term whose definition shows

  function close() {
    if (!open) return;
    var tip = open.querySelector(".pb-term-tip");
    if (tip) tip.parentNode.removeChild(tip);
    open.removeAttribute("aria-expanded");
    open = null;
  }

  function show(link) {
    close();
    var abbr = link.querySelector("abbr");
    var text = abbr && (abbr.getAttribute("data-pb-title") || abbr.getAttribute("title"));
    if (!text) return false;
    var tip = document.createElement("span");
    tip.className = "pb-term-tip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = text;
    link.appendChild(tip);
    var right = tip.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
    if (right > 0) tip.style.left = -right + "px"; // stays on screen by a term near the edge
    link.setAttribute("aria-expanded", "true");
    open = link;
    return true;
  }

  // Material's tooltips take the title away from an <abbr> when it is first pointed at: keep it.
  function remember() {
    var terms = document.querySelectorAll(".md-content abbr[title]");
    for (var i = 0; i < terms.length; i++) terms[i].setAttribute("data-pb-title", terms[i].getAttribute("title"));
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(remember);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", remember);
  } else {
    remember();
  }

  document.addEventListener("pointerdown", function (event) { touched = event.pointerType === "touch"; }, true);
  document.addEventListener("touchstart", function () { touched = true; }, { capture: true, passive: true });
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a.pb-term") : null;
    if (!link) {
      close();
      return;
    }
    if (!touched || link === open) return; // a mouse click, or the second tap: follow the link
    if (show(link)) event.preventDefault();
  }, true);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
})();
