// The search page: load Pagefind's UI from the site's own search bundle
// (no CDN), run the query given in ?q= and keep ?q= in step with the box so
// a search can be linked. Without the bundle it says so and keeps the form.
(function () {
  "use strict";
  var results = document.getElementById("search");
  if (!results) return;
  var bundle = results.getAttribute("data-bundle");
  var baseUrl = results.getAttribute("data-base-url");
  var form = document.querySelector(".search-form");
  var query = new URLSearchParams(window.location.search).get("q") || "";

  function unavailable() {
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = "搜索索引未能加载：站点可能在构建时关闭了搜索。可以从首页按园区、年份和指标浏览。";
    results.replaceChildren(note);
  }

  function keepQueryInAddress() {
    var input = results.querySelector("input");
    if (!input) return;
    input.addEventListener("input", function () {
      var url = new URL(window.location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    });
  }

  // A result's title says what the page is: 陕耀 — 项目 · 濮阳工业园区.
  function nameTheKind(result) {
    if (result.meta && result.meta.kind) {
      result.meta.title = result.meta.title + " — " + result.meta.kind;
      delete result.meta.kind;  // said once, in the title, not again as a tag
    }
    return result;
  }

  function start() {
    if (typeof window.PagefindUI !== "function") return unavailable();
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: baseUrl,
      showImages: false,
      showSubResults: true,
      autofocus: !query,
      // Long pages (report texts) are not held back much for being long: a
      // name searched for is often on a long page that is entirely about it.
      ranking: { pageLength: 0.25 },
      processResult: nameTheKind
    });
    if (form) form.hidden = true;
    keepQueryInAddress();
    if (query) ui.triggerSearch(query);
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = start;
  script.onerror = unavailable;
  document.head.appendChild(script);
})();
