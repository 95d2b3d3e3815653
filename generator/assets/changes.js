/* Playbook: narrow the "What changed" page to a section (collection) or a team, in place.
 *
 * Contract with generator/templates/_changes.md.j2:
 *   <div class="pb-changes-filter" hidden> with <select data-filter="collection|team">
 *   <div class="pb-week"> ... <div class="pb-change" data-collection data-team> ...
 *   <div class="pb-reviewed"> (review-only changes of a week), <p class="pb-changes-none" hidden>
 * The choice is kept in the address (?collection=stages&team=sales), so a link to a record and
 * the browser's Back button return to the same view, and a filtered view can be shared. Without
 * scripts the pickers stay hidden and every change is listed. Only attribute values are compared;
 * no HTML is built from strings.
 */
(function () {
  "use strict";

  function setup() {
    var bar = document.querySelector(".pb-changes-filter");
    if (!bar) return;
    var selects = Array.prototype.slice.call(bar.querySelectorAll("select[data-filter]"));
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.getAttribute("data-filter"));
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
      select.value = wanted && known ? wanted : "";
      select.addEventListener("change", function () { apply(selects, true); });
    });
    bar.hidden = false;
    apply(selects, false);
  }

  function apply(selects, remember) {
    var wanted = {};
    selects.forEach(function (select) {
      if (select.value) wanted[select.getAttribute("data-filter")] = select.value;
    });
    var changes = document.querySelectorAll(".pb-change");
    var shown = 0;
    for (var i = 0; i < changes.length; i++) {
      var match = Object.keys(wanted).every(function (key) {
        return changes[i].getAttribute("data-" + key) === wanted[key];
      });
      changes[i].hidden = !match;
      if (match) shown++;
    }
    var groups = document.querySelectorAll(".pb-week, .pb-reviewed");
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = !groups[j].querySelector(".pb-change:not([hidden])");
    }
    var none = document.querySelector(".pb-changes-none");
    if (none) none.hidden = shown > 0;
    var count = document.querySelector(".pb-changes-count");
    if (count) {
      count.textContent = Object.keys(wanted).length ? shown + " of " + changes.length + " changes" : "";
    }
    if (remember && window.history && window.history.replaceState) {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var key = select.getAttribute("data-filter");
        if (select.value) params.set(key, select.value); else params.delete(key);
      });
      var query = params.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup); // Material's instant navigation: every page view
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
