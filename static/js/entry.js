/* Entry forms: derived cells recalculate as staff type, Excel blocks paste into the grid, and the
 * keyboard moves between cells. No build step, no inline code (runs under script-src 'self').
 *
 * A derived cell carries data-base (what other forms contribute, "1234.50") and data-terms (the
 * names of this form's inputs it adds up); a percentage carries the same for its part and whole.
 * Amounts are added as integer cents (BigInt), so no float ever touches money.
 */
(function () {
  "use strict";

  var form = document.getElementById("entry-form");
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("td.input input"));
  var byName = {};
  inputs.forEach(function (input) { byName[input.name] = input; });

  // Full-width digits and punctuation, as some input methods type them.
  function halfWidth(text) {
    return text.replace(/[\uff01-\uff5e]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
    }).replace(/\u3000/g, " ");
  }

  // "1,234.5" -> 123450n cents; "" -> 0n; anything else -> null (the server says why).
  function cents(text, whole) {
    text = halfWidth(text || "").replace(/\s+/g, "");
    if (text === "") return 0n;
    var m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(text);
    if (!m || (!m[2] && !m[3])) return null;
    var fraction = m[3] || "";
    if (fraction.length > 2 || (whole && /[1-9]/.test(fraction))) return null;
    var value = BigInt((m[2] || "0").replace(/,/g, "")) * 100n + BigInt((fraction + "00").slice(0, 2));
    return m[1] === "-" ? -value : value;
  }

  function format(value, count) {
    if (value === 0n) return "";
    var negative = value < 0n;
    if (negative) value = -value;
    var text;
    if (count) {
      text = (value / 100n).toString();
    } else {
      var units = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      text = units + "." + (value % 100n).toString().padStart(2, "0");
    }
    return (negative ? "-" : "") + text;
  }

  function valueOf(name) {
    var input = byName[name];
    if (!input) return 0n;
    var v = cents(input.value, input.hasAttribute("data-count"));
    return v === null ? 0n : v;
  }

  function sum(base, names) {
    var total = cents(base) || 0n;
    (names || "").split(" ").forEach(function (name) { if (name) total += valueOf(name); });
    return total;
  }

  function recalculate() {
    form.querySelectorAll("td[data-terms]").forEach(function (cell) {
      cell.textContent = format(sum(cell.dataset.base, cell.dataset.terms), cell.hasAttribute("data-count"));
    });
    form.querySelectorAll("td[data-part]").forEach(function (cell) {
      var part = sum(cell.dataset.partBase, cell.dataset.part);
      var whole = sum(cell.dataset.wholeBase, cell.dataset.whole);
      if (whole === 0n) { cell.textContent = ""; return; }
      var basisPoints = (part * 100000n) / whole;  // percent with three decimals
      var rounded = (basisPoints + 5n) / 10n;       // to two, half up
      cell.textContent = (rounded / 100n).toString() + "." + (rounded % 100n).toString().padStart(2, "0") + "%";
    });
  }

  function check(input) {
    var v = cents(input.value, input.hasAttribute("data-count"));
    var bad = v === null || (v < 0n && !input.hasAttribute("data-negative"));
    input.closest("td").classList.toggle("invalid", bad);
    if (bad) input.setAttribute("aria-invalid", "true");
    else if (!input.getAttribute("aria-describedby")) input.removeAttribute("aria-invalid");
  }

  var dirty = false;
  form.addEventListener("input", function (event) {
    if (event.target.matches("td.input input")) {
      dirty = true;
      check(event.target);
      recalculate();
    }
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  // The grid of inputs: rows in order, each input at its column.
  function grid() {
    var rows = [];
    var rowIndex = {};
    inputs.forEach(function (input) {
      var r = input.dataset.row;
      if (!(r in rowIndex)) { rowIndex[r] = rows.length; rows.push([]); }
      rows[rowIndex[r]].push(input);
    });
    return rows;
  }
  var rows = grid();
  function position(input) {
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(input);
      if (c >= 0) return [r, c];
    }
    return null;
  }
  function inColumn(rowInputs, col) {
    for (var i = 0; i < rowInputs.length; i++) if (rowInputs[i].dataset.col === col) return rowInputs[i];
    return null;
  }
  function vertical(input, step) {
    var at = position(input);
    if (!at) return null;
    for (var r = at[0] + step; r >= 0 && r < rows.length; r += step) {
      var next = inColumn(rows[r], input.dataset.col);
      if (next) return next;
    }
    return null;
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches("td.input input")) return;
    var next = null;
    if (event.key === "Enter" || event.key === "ArrowDown") next = vertical(input, 1);
    else if (event.key === "ArrowUp") next = vertical(input, -1);
    else return;
    event.preventDefault();  // Enter never submits half a table by accident
    if (next) { next.focus(); next.select(); }
  });

  // A block copied from Excel: rows on lines, cells separated by tabs, filled from the cell the
  // paste lands in, rightwards over this row's inputs and down over the next rows'.
  form.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.matches("td.input input")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ""))) return;  // one value: the browser pastes it
    event.preventDefault();
    var lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    var at = position(input);
    lines.forEach(function (line, i) {
      var row = rows[at[0] + i];
      if (!row) return;
      var start = row.indexOf(inColumn(row, input.dataset.col));
      if (start < 0) start = at[1];
      line.split("\t").forEach(function (value, j) {
        var target = row[start + j];
        if (target && !target.disabled) { target.value = value.trim(); check(target); }
      });
    });
    dirty = true;
    recalculate();
  });

  inputs.forEach(check);
})();
