/* opsbook: small enhancements of the generated pages, served from the site itself (no CDN).
   - every chart opens full size on tap (a link to its SVG file);
   - long tables sort by a header click and filter by a text box above them;
   - on phones, table rows become cards with the status, level, owner and due cells first.
   Without JavaScript the pages stay complete: these only add to them. */
(function () {
  "use strict";

  var WORDS = {
    zh: { filter: "筛选表格", search: "搜索" },
    en: { filter: "Filter this table", search: "Search" }
  };
  var LONG_TABLE = 6; // rows from which a table gets a filter box
  var words = (document.documentElement.lang || "").indexOf("zh") === 0 ? WORDS.zh : WORDS.en;

  function linkCharts(root) {
    root.querySelectorAll("img.ob-chart").forEach(function (img) {
      if (img.closest("a")) return;
      var link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.className = "ob-chart-link";
      img.parentNode.insertBefore(link, img);
      link.appendChild(img);
    });
  }

  function headerCells(table) {
    var row = table.tHead && table.tHead.rows[0];
    return row ? Array.prototype.slice.call(row.cells) : [];
  }

  /* The cells a reader acts on first: a badge (status, level), a person, a date. */
  function priorityOf(cell) {
    if (cell.querySelector(".ob-badge")) return "1";
    if (cell.querySelector('a[href*="people/"]') || cell.querySelector(".ob-date")) return "2";
    return "";
  }

  function labelCells(table, headers) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        var header = headers[i];
        if (header) cell.setAttribute("data-label", header.textContent.trim());
        var priority = priorityOf(cell);
        if (priority) cell.setAttribute("data-ob-priority", priority);
      });
    });
  }

  function sortKey(cell) {
    var text = cell.textContent.trim();
    var number = text.replace(/[,\s%]/g, "").match(/^[-+]?\d+(\.\d+)?$/);
    return number ? { n: parseFloat(number[0]), t: text } : { n: null, t: text };
  }

  function compare(a, b) {
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;
    if (b.n !== null) return 1;
    return a.t.localeCompare(b.t, document.documentElement.lang || undefined);
  }

  function sortBy(table, column, button) {
    var header = button.parentNode;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headerCells(table).forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, key: sortKey(row.cells[column] || row), index: index };
    });
    rows.sort(function (x, y) {
      return (ascending ? 1 : -1) * compare(x.key, y.key) || x.index - y.index;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
  }

  function makeSortable(table, headers) {
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ob-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, button); });
    });
  }

  function addFilter(table) {
    var wrap = table.closest(".md-typeset__scrollwrap") || table;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "ob-filter";
    input.placeholder = words.filter;
    input.setAttribute("aria-label", words.filter);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
    wrap.parentNode.insertBefore(input, wrap);
  }

  function enhanceTable(table) {
    var headers = headerCells(table);
    var named = headers.filter(function (th) { return th.textContent.trim() !== ""; });
    if (!table.tBodies[0] || named.length < 3 || table.hasAttribute("data-ob-table")) return;
    table.setAttribute("data-ob-table", "");
    labelCells(table, headers);
    makeSortable(table, headers);
    if (table.tBodies[0].rows.length >= LONG_TABLE) addFilter(table);
  }

  /* Material's search overlay is a dialog without a name: screen readers announce "dialog". */
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", words.search);
  }

  function enhance() {
    nameSearchDialog();
    var article = document.querySelector(".md-content article") || document.body;
    linkCharts(article);
    article.querySelectorAll("table").forEach(enhanceTable);
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(enhance); // Material's page-load signal (instant loading too)
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
