/* Where a finding is fixed: the page a finding's link opens shows the place (disclosures/places.py).
 *
 * - ?mark=id1,id2 highlights those elements: the input cells a derived figure adds up, or the
 *   fields of a self-evaluation;
 * - the fragment's element is focused: an input cell's input, a form field;
 * - a finding listed on the texts page (data-textarea, data-start, data-end: the characters of
 *   the text it is about) selects those characters in the text's box, and so does ?sel=start,end
 *   in the box the fragment names (a self-evaluation's text part).
 * Characters are counted as Python counts them (code points). No inline code: a static file,
 * under script-src 'self'.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);

  // A box counts UTF-16 units; Python counts code points.
  function units(text, points) {
    return Array.from(text).slice(0, points).join("").length;
  }

  function select(box, start, end) {
    var from = units(box.value, start);
    var to = units(box.value, end);
    box.classList.add("finding-selected");
    box.focus();
    // The caret first, so the box scrolls to it; then the words, selected.
    box.setSelectionRange(from, from);
    box.blur();
    box.focus();
    box.setSelectionRange(from, to);
  }

  function mark() {
    (params.get("mark") || "").split(",").forEach(function (id) {
      var element = id && document.getElementById(id);
      if (element) element.classList.add("finding-mark");
    });
  }

  function show() {
    var id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return;
    }
    var target = id && document.getElementById(id);
    if (!target) return;
    if (target.dataset.textarea) {
      var box = document.getElementById(target.dataset.textarea);
      if (box && !box.disabled) select(box, Number(target.dataset.start), Number(target.dataset.end));
      target.scrollIntoView({ block: "nearest" });
      return;
    }
    var field = target.matches("input, textarea, select")
      ? target
      : target.querySelector("input, textarea, select");
    if (!field || field.disabled) return;
    var span = (params.get("sel") || "").split(",");
    if (field.tagName === "TEXTAREA" && span.length === 2) {
      select(field, Number(span[0]), Number(span[1]));
      return;
    }
    field.focus();
    if (field.tagName === "INPUT") field.select();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  // Focus once the page has loaded: the browser's own move to the fragment comes before.
  if (document.readyState === "complete") {
    show();
  } else {
    window.addEventListener("load", show);
  }
  window.addEventListener("hashchange", show);
})();
