// The live character count under the suggestion box. The form works
// without it: the server counts the same way (runes after NFC, line ends
// as one) and says so when the text is too long. It shows how many
// characters are left, and says it to screen readers only when the person
// pauses, not at every key.
(function () {
  "use strict";
  var box = document.getElementById("f-text");
  var shown = document.getElementById("f-text-count");
  var spoken = document.getElementById("f-text-count-sr");
  if (!box || !shown || !spoken) {
    return;
  }
  var max = parseInt(shown.getAttribute("data-max"), 10);
  var left = shown.getAttribute("data-left");
  var over = shown.getAttribute("data-over");
  var lang = document.documentElement.lang;
  var timer = 0;
  function group(n) {
    // Lithuanian groups thousands with a space from five digits on
    // (20 000, but 1234), English with a comma.
    var s = String(n);
    if (lang === "lt" && s.length <= 4) {
      return s;
    }
    return s.replace(/\B(?=(\d{3})+(?!\d))/g, lang === "lt" ? "\u00a0" : ",");
  }
  function count() {
    var v = box.value.replace(/\r\n/g, "\n");
    if (v.normalize) {
      v = v.normalize("NFC");
    }
    return Array.from(v).length;
  }
  function update() {
    var n = count();
    var text = n > max ? over.replace("{n}", group(n - max)) : left.replace("{n}", group(max - n));
    shown.textContent = text;
    shown.classList.toggle("over", n > max);
    clearTimeout(timer);
    timer = setTimeout(function () { spoken.textContent = text; }, 1000);
  }
  shown.hidden = false;
  box.addEventListener("input", update);
  update();
})();
