// The search page: load Pagefind's UI from the site's own search bundle
// (no CDN), run the query given in ?q= and keep ?q= in step with the box so
// a search can be linked. Without the bundle it says so and keeps the form.
// The page gives the bundle's files and the message (in the edition's
// language) as data- attributes of #search.
(function () {
  "use strict";
  var results = document.getElementById("search");
  if (!results) return;
  var uiScript = results.getAttribute("data-ui-script");
  var bundle = uiScript.replace(/[^/]*$/, "");  // the folder of pagefind-ui.js
  // Result URLs are paths from the site's root, where pagefind/ is, in every edition.
  var baseUrl = bundle.replace(/pagefind\/$/, "");
  var form = document.querySelector(".search-form");
  var query = new URLSearchParams(window.location.search).get("q") || "";

  function unavailable() {
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = results.getAttribute("data-unavailable");
    results.replaceChildren(note);
  }

  function keepQueryInAddress() {
    var input = results.querySelector("input");
    if (!input) return;
    // Pagefind's box has only a placeholder: give it the page's label as its accessible name.
    var label = document.querySelector("label[for='search-input']");
    input.setAttribute("aria-label", label ? label.textContent : input.placeholder);
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
  style.href = results.getAttribute("data-ui-style");
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = uiScript;
  script.onload = start;
  script.onerror = unavailable;
  document.head.appendChild(script);
})();
