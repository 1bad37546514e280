// Keyboard shortcuts for the staff console. Every action is a link or a
// form button that works without this script; a key only clicks the
// element marked with data-key="…" on the page (Enter, 1–9, j, k).
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    // Enter on a focused link or button already does what it says.
    if (e.key === "Enter" && (tag === "A" || tag === "BUTTON" || tag === "SUMMARY")) return;
    var el = document.querySelector('[data-key="' + (e.key.length === 1 ? e.key.toLowerCase() : e.key) + '"]');
    if (!el) return;
    e.preventDefault();
    el.click();
  });
})();
