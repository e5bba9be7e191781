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

  // A block copied from Excel: rows on lines, cells separated by tabs (a cell holding a tab, a
  // line break or a quote comes quoted), filled from the row the paste lands in, downwards.
  // Which form column each copied column goes to:
  // - when the block starts with its header (the columns' labels, or their 栏次), by that
  //   header: a derived column (小计, 合计) and a code or name column are skipped;
  // - without a header, a block exactly as wide as the input columns from the landing cell
  //   rightwards (derived columns skipped), or one column wide (down the landing column);
  // - anything else is refused, with the reason: a value never lands under the wrong column.
  var columns = Array.prototype.map.call(
    form.querySelectorAll(".entry-table > colgroup > col"),
    function (col, i) {
      return {
        position: String(i),
        label: col.dataset.label || "",
        key: plain(col.dataset.label),
        groups: (col.dataset.groups || "").split("|").filter(Boolean).map(plain),
        number: col.dataset.number || "",
        kind: col.dataset.kind
      };
    });
  var refusedBox = document.getElementById("paste-refused");
  var doneBox = document.getElementById("paste-done");

  function plain(text) { return halfWidth(text || "").replace(/\s+/g, ""); }

  // Header words of the code and name columns a copied table may carry, besides this form's.
  var stubWords = {};
  ["栏次", "行次", "项目", "类", "款", "项", "科目编码", "科目名称", "功能分类科目编码",
   "经济分类科目编码"].forEach(function (word) { stubWords[plain(word)] = true; });
  // The words that make a line a header: the labels above this form's figures.
  var known = {};
  columns.forEach(function (c) {
    if (c.kind === "stub") return;
    known[c.key] = true;
    c.groups.forEach(function (g) { known[g] = true; });
  });

  function parseBlock(text) {
    var lines = [], line = [], cell = "", quoted = false, fresh = true;
    text = text.replace(/\r\n?/g, "\n");
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (quoted) {
        if (ch === '"' && text.charAt(i + 1) === '"') { cell += '"'; i++; }
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"' && fresh) { quoted = true; fresh = false; }
      else if (ch === "\t") { line.push(cell); cell = ""; fresh = true; }
      else if (ch === "\n") { line.push(cell); lines.push(line); line = []; cell = ""; fresh = true; }
      else { cell += ch; fresh = false; }
    }
    if (cell !== "" || line.length) { line.push(cell); lines.push(line); }
    while (lines.length && lines[lines.length - 1].every(function (c) { return !c.trim(); })) lines.pop();
    return lines;
  }

  function texts(cells) { return cells.map(plain).filter(Boolean); }
  function isNumber(text) { return text !== "" && cents(text, false) !== null; }
  // A line of words (no number): a header line when one of them names a figures' column here.
  function isTextLine(cells) {
    var words = texts(cells);
    return words.length > 0 && !words.some(isNumber);
  }
  function isLabelLine(cells) {
    return isTextLine(cells) && texts(cells).some(function (t) { return known[t]; });
  }
  // The 栏次 line: with its "栏次"; else consecutive 栏次 of this form, as the block's first
  // line above data or under labels that name the same columns — a data line of small whole
  // amounts is not a header.
  function isNumberLine(cells, labels, first, width) {
    var words = texts(cells);
    var numbers = words.filter(function (t) { return /^\d+$/.test(t); });
    if (!numbers.length || words.some(function (t) { return t !== "栏次" && !/^\d+$/.test(t); })) return false;
    if (words.indexOf("栏次") >= 0) return true;
    if (!(labels.length || first) || numbers.length < 2) return false;
    var numbered = numbers.every(function (n, i) {
      return (i === 0 || +n === +numbers[i - 1] + 1) &&
        columns.some(function (c) { return c.number === n; });
    });
    if (!numbered || !labels.length) return numbered;
    var named = headerColumns({ labels: labels, numbers: null }, width);
    return named.every(function (f, j) {
      var n = plain(cells[j]);
      return !n || !f.column || !f.column.number || f.column.number === n;
    });
  }

  function readHeader(lines, width) {
    var k = 0;
    // Title lines above the header (the table's name, 部门名称 and 单位) name no column.
    while (k < lines.length - 1 && k < 3 && isTextLine(lines[k]) && !isLabelLine(lines[k])) k++;
    var labels = [], numbers = null;
    while (k < lines.length && isLabelLine(lines[k])) labels.push(lines[k++]);
    if (k < lines.length && isNumberLine(lines[k], labels, k === 0 && lines.length > 1, width)) {
      numbers = lines[k++];
    }
    if (!labels.length && !numbers) return null;
    return { labels: labels, numbers: numbers, data: lines.slice(k) };
  }

  // Each copied column's form column, from the header lines above it: a merged heading (its
  // text in its first cell only) covers the blank cells to its right under the same parent; on
  // the last line, a blank sits under a heading that spans lines.
  function headerColumns(header, width) {
    var resolved = [], last = header.labels.length - 1;
    header.labels.forEach(function (cells, k) {
      var row = [];
      for (var j = 0; j < width; j++) {
        var t = plain(cells[j]);
        if (!t && k < last && j > 0 && j < cells.length && row[j - 1] &&
            (k === 0 || resolved[k - 1][j] === resolved[k - 1][j - 1])) t = row[j - 1];
        row.push(t);
      }
      resolved.push(row);
    });
    var found = [], number = "";
    for (var j = 0; j < width; j++) {
      var path = [];
      resolved.forEach(function (row) { if (row[j] && path[path.length - 1] !== row[j]) path.push(row[j]); });
      // "栏次" is merged across the code and name columns: its blanks are stub columns too.
      var cell = header.numbers ? plain(header.numbers[j]) : "";
      number = cell || (number === "栏次" ? number : "");
      found.push(headerColumn(path, number));
    }
    return found;
  }

  function headerColumn(path, number) {
    var leaf = path[path.length - 1] || "";
    var above = path.slice(0, -1);
    var byLabel = columns.filter(function (c) {
      return c.key === leaf && above.every(function (g) { return c.groups.indexOf(g) >= 0; });
    });
    if (leaf && !byLabel.length) byLabel = columns.filter(function (c) { return c.key === leaf; });
    var byNumber = /^\d+$/.test(number) ? columns.filter(function (c) { return c.number === number; }) : [];
    if (byNumber.length === 1) {
      if (leaf && byLabel.length && byLabel.indexOf(byNumber[0]) < 0) {
        return { problem: "unknown", text: leaf + "（栏次 " + number + "）" };
      }
      return { column: byNumber[0] };
    }
    if (byLabel.length === 1) return { column: byLabel[0] };
    if (stubWords[leaf] || (!leaf && number === "栏次")) return { stub: true };
    // A label several columns share, or a merged heading without the line below it.
    if (byLabel.length > 1 || columns.some(function (c) { return c.groups.indexOf(leaf) >= 0; })) {
      return { problem: "ambiguous", text: leaf };
    }
    if (!leaf && !number) return { blank: true };
    return { problem: "unknown", text: leaf || number };
  }

  function unique(list) {
    return list.filter(function (item, i) { return list.indexOf(item) === i; });
  }
  function derivedLabels() {
    return unique(columns.filter(function (c) { return c.kind === "derived"; })
      .map(function (c) { return c.label; }));
  }

  function refuse(message) {
    doneBox.textContent = "";
    refusedBox.textContent = message;
  }

  // Fill `data` (lines of cells) into the rows from `first` down: cell j into targets[j].
  function fill(data, targets, first) {
    var filled = 0;
    data.forEach(function (line, i) {
      var row = rows[first + i];
      if (!row) return;
      filled++;
      targets.forEach(function (column, j) {
        if (!column || j >= line.length) return;
        var target = inColumn(row, column.position);
        if (target && !target.disabled) { target.value = line[j].trim(); check(target); }
      });
    });
    return { rows: filled, over: data.length - filled };
  }

  function byHeader(header, width) {
    if (!header.data.length) return { refused: "粘贴的内容只有表头，没有数据。请连同数据行一起复制。" };
    var found = headerColumns(header, width);
    var unknown = [], ambiguous = [], twice = [], seen = {};
    found.forEach(function (f, j) {
      // A column without a heading: names (under a merged 项目) are skipped, figures are not.
      if (f.blank && header.data.some(function (line) { return isNumber(plain(line[j])); })) {
        unknown.push("第 " + (j + 1) + " 列（没有表头）");
      }
      if (f.problem === "unknown") unknown.push("「" + f.text + "」");
      if (f.problem === "ambiguous") ambiguous.push("「" + f.text + "」");
      if (f.column && f.column.kind !== "stub") {
        if (seen[f.column.position]) twice.push("「" + f.column.label + "」");
        seen[f.column.position] = true;
      }
    });
    if (ambiguous.length) {
      return { refused: "粘贴的表头" + unique(ambiguous).join("、") + "在本表中不止一栏，无法确定该填到哪一栏，未粘贴。请连同上一行表头（如「预算数」「决算数」）或栏次一起复制。" };
    }
    if (unknown.length) {
      return { refused: "粘贴的表头中" + unique(unknown).join("、") + "不是本表的栏目，无法确定各列该填到哪一栏，未粘贴。请核对复制的是否为本表，或只复制可填写的列。" };
    }
    if (twice.length) {
      return { refused: "粘贴的表头中" + unique(twice).join("、") + "出现了不止一次，未粘贴。请核对后重新复制。" };
    }
    var targets = found.map(function (f) { return f.column && f.column.kind === "input" ? f.column : null; });
    var taken = targets.filter(Boolean).map(function (c) { return c.label; });
    if (!taken.length) return { refused: "粘贴的栏目都是自动计算列或编码、名称列，没有可填写的数据，未粘贴。" };
    var skipped = unique(found.filter(function (f) { return f.column && f.column.kind === "derived"; })
      .map(function (f) { return f.column.label; }));
    return {
      targets: targets,
      data: header.data,
      done: "已按表头对齐粘贴：" + unique(taken).join("、") + "。" +
        (skipped.length ? skipped.join("、") + "为自动计算列，未粘贴。" : "")
    };
  }

  function byPosition(lines, width, input) {
    // Words and no number: a header this form does not know (or a title), never figures.
    if (isTextLine(lines[0])) {
      return { refused: "粘贴的第一行（" + texts(lines[0]).slice(0, 3).join("、") + "）不是本表的表头，无法确定各列该填到哪一栏，未粘贴。请连同本表的表头一起复制，或只复制数字。" };
    }
    var from = +input.dataset.col;
    var open = columns.filter(function (c) { return c.kind === "input" && +c.position >= from; });
    if (width === open.length) return { targets: open, data: lines, done: "已粘贴 " + width + " 列。" };
    if (width === 1) {
      var landing = columns.filter(function (c) { return c.position === input.dataset.col; });
      return { targets: landing, data: lines, done: "已粘贴 1 列。" };
    }
    var derived = derivedLabels();
    var why = derived.length ? "（" + derived.join("、") + "为自动计算列）" : "";
    if (width > open.length) {
      return { refused: "粘贴的数据有 " + width + " 列，而从此格起可填写的只有 " + open.length + " 列" + why + "。请只复制可填写的列，或连同表头一起复制。" };
    }
    return { refused: "粘贴的数据有 " + width + " 列，而从此格起可填写的有 " + open.length + " 列" + why + "，无法确定各列该填到哪一栏，未粘贴。请复制从此格起的全部可填写列，或连同表头一起复制。" };
  }

  form.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.matches("td.input input")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ""))) return;  // one value: the browser pastes it
    event.preventDefault();
    var lines = parseBlock(text);
    if (!lines.length) return;
    var width = Math.max.apply(null, lines.map(function (line) { return line.length; }));
    var header = readHeader(lines, width);
    var plan = header ? byHeader(header, width) : byPosition(lines, width, input);
    if (plan.refused) { refuse(plan.refused); return; }
    var result = fill(plan.data, plan.targets, position(input)[0]);
    refusedBox.textContent = "";
    doneBox.textContent = plan.done + (result.over ? "另有 " + result.over + " 行超出本表已有的行，未粘贴。" : "");
    dirty = true;
    recalculate();
  });

  // Figures re-shown after a refused save, or kept through an expired login: the sums follow
  // them, and leaving the page warns that they are not saved.
  if (form.hasAttribute("data-rebound")) { dirty = true; recalculate(); }

  // The login ends `data-session-seconds` after the last request. While staff type, the form
  // tells the server so every few minutes; left idle, it warns before the end, and says when it
  // has ended. A save after the end is kept anyway and shown again after logging in.
  var keepalive = form.dataset.keepalive;
  var sessionMs = (+form.dataset.sessionSeconds || 0) * 1000;
  var sessionBox = document.getElementById("session-warning");
  if (keepalive && sessionMs && sessionBox) {
    var margin = Math.min(5 * 60 * 1000, sessionMs / 6);
    var lastRequest = Date.now(), lastTyped = 0, ended = false;
    var ENDED = "登录已过期。您仍可点“保存”：填写的内容会保留，重新登录后回到本页，核对后再保存。";
    form.addEventListener("input", function () { lastTyped = Date.now(); });
    window.setInterval(function () {
      if (ended) return;
      var now = Date.now();
      if (lastTyped > lastRequest && now - lastRequest >= margin) {
        lastRequest = now;
        fetch(keepalive, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
          .then(function (response) {
            if (response.status === 204) { sessionBox.textContent = ""; return; }
            ended = true;  // sent to the login: the session had already ended
            sessionBox.textContent = ENDED;
          })
          .catch(function () {});  // offline for a moment: the next tick tries again
        return;
      }
      var left = sessionMs - (now - lastRequest);
      if (left <= 0) {
        // Another window of this login may have kept it alive: the next keystroke asks.
        sessionBox.textContent = "本页已有 " + Math.round(sessionMs / 60000) + " 分钟没有操作，登录可能已过期。" +
          "您仍可点“保存”：如已过期，填写的内容会保留，重新登录后回到本页，核对后再保存。";
      } else if (left <= margin) {
        sessionBox.textContent = "您已有一段时间没有操作，登录将在约 " + Math.ceil(left / 60000) +
          " 分钟后过期。继续填写即可保持登录；过期后再保存，填写的内容也会保留。";
      }
    }, 30 * 1000);
  }

  inputs.forEach(check);
})();
