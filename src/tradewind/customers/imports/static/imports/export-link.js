/* The customer list's Export links carry the filters shown: after htmx has changed the filters
   (and the address bar), take the current query string at the moment of the click. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export-format]");
    if (!link) { return; }
    var query = new URLSearchParams(window.location.search);
    query.delete("page");
    query.set("format", link.getAttribute("data-export-format"));
    link.href = link.pathname + "?" + query.toString();
  });
})();
