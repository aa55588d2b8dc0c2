/* Sort and filter tables marked data-sortable (the projects table).
   Progressive enhancement: without this script the table is complete and
   readable; with it, column headers become sort buttons and a filter box
   and a stage menu appear above the table. No dependencies. */
(function () {
  "use strict";

  var collator = new Intl.Collator("zh-CN", { numeric: true });

  function cellText(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return (cell.getAttribute("data-sort") || cell.textContent || "").trim();
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = collator.compare(cellText(a, index), cellText(b, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function stageOptions(table) {
    var seen = {};
    var options = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var stage = row.getAttribute("data-stage") || "";
      var label = row.getAttribute("data-stage-label") || stage || "阶段不明";
      if (!(stage in seen)) {
        seen[stage] = true;
        options.push([stage, label]);
      }
    });
    return options;
  }

  function makeFilterable(table, index) {
    var form = document.createElement("div");
    form.className = "table-filter";
    var id = "table-filter-" + index;
    form.innerHTML =
      '<label for="' + id + '-q">筛选</label>' +
      '<input id="' + id + '-q" type="search" placeholder="项目、投资方、行业">' +
      '<label for="' + id + '-stage">阶段</label>' +
      '<select id="' + id + '-stage"><option value="*">全部</option></select>' +
      '<output id="' + id + '-count" aria-live="polite"></output>';
    var select = form.querySelector("select");
    stageOptions(table).forEach(function (option) {
      var element = document.createElement("option");
      element.value = option[0];
      element.textContent = option[1];
      select.appendChild(element);
    });
    var input = form.querySelector("input");
    var count = form.querySelector("output");
    var anchor = table.closest(".table-scroll") || table;
    anchor.parentNode.insertBefore(form, anchor);

    function apply() {
      var query = input.value.trim().toLowerCase();
      var stage = select.value;
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var matches = (!query || row.textContent.toLowerCase().indexOf(query) >= 0) &&
          (stage === "*" || (row.getAttribute("data-stage") || "") === stage);
        row.hidden = !matches;
        if (matches) shown += 1;
      });
      count.textContent = "显示 " + shown + " / " + table.tBodies[0].rows.length + " 个项目";
    }
    input.addEventListener("input", apply);
    select.addEventListener("change", apply);
    apply();
  }

  function init() {
    var tables = document.querySelectorAll("table[data-sortable]");
    Array.prototype.forEach.call(tables, function (table, index) {
      if (!table.tBodies.length || !table.tHead) return;
      makeSortable(table);
      makeFilterable(table, index);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
