/* statuskart: filter boxes for long lists (Enheter). No data leaves the page; works from file://. */
(function () {
  "use strict";
  /* The same identity rule as the build's name_key (core/identity.py): case, spacing and
     punctuation ignored, every letter kept, invisible characters dropped, so «rop poliklinikk»
     finds «ROP-poliklinikk». */
  function key(text) {
    return " " + text.normalize("NFKC").replace(/\p{Cf}/gu, "").toLocaleLowerCase("nb")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  }
  function filter(input) {
    var target = document.getElementById(input.getAttribute("data-target"));
    if (!target) return;
    var query = key(input.value).trim();
    var shown = 0;
    target.querySelectorAll("tr[data-sk-row]").forEach(function (row) {
      if (row.skKey === undefined) {
        // A row also matches on its group's label (HF and region), which the row does not repeat.
        var group = row.closest("[data-sk-label]");
        row.skKey = key(row.textContent + " " + (group ? group.getAttribute("data-sk-label") : ""));
      }
      var hit = !query || row.skKey.indexOf(query) !== -1;
      row.hidden = !hit;
      if (hit) shown += 1;
    });
    target.querySelectorAll("[data-sk-group]").forEach(function (group) {
      var any = group.querySelector("tr[data-sk-row]:not([hidden])") !== null;
      group.hidden = !any;
      if (group.tagName === "DETAILS") group.open = Boolean(query) && any;
    });
    var count = document.getElementById(input.getAttribute("data-count"));
    if (count) count.textContent = query ? shown + " treff" : "";
  }
  function setup() {
    document.querySelectorAll("input.sk-filter").forEach(function (input) {
      input.addEventListener("input", function () { filter(input); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
