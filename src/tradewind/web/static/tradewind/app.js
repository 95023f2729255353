/* Tradewind — small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // <form data-confirm="Really?">: ask before a destructive POST.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit form="…">: submit its form when it changes (page size selector).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (typeof el.form.requestSubmit === "function") { el.form.requestSubmit(); }
      else { el.form.submit(); }
    }
  });

  // <div data-show-if="stage=lost">: show a field only when another field has a value
  // (kept visible when it carries an error, so the user sees why the form came back).
  function syncConditional(root) {
    (root || document).querySelectorAll("[data-show-if]").forEach(function (wrapper) {
      var rule = wrapper.getAttribute("data-show-if").split("=");
      var form = wrapper.closest("form");
      var control = form && form.elements.namedItem(rule[0]);
      if (!control) { return; }
      var show = control.value === rule[1] || wrapper.classList.contains("is-invalid");
      wrapper.hidden = !show;
      if (!wrapper.dataset.bound) {
        wrapper.dataset.bound = "1";
        control.addEventListener("change", function () { syncConditional(form); });
      }
    });
  }

  // Put the cursor in the first field that came back with an error.
  function focusFirstError(root) {
    var bad = (root || document).querySelector(".tw-field.is-invalid input, .tw-field.is-invalid select, .tw-field.is-invalid textarea");
    if (bad) { bad.focus({ preventScroll: false }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    syncConditional(document);
    focusFirstError(document.querySelector("main"));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    syncConditional(document);
    // With outerHTML the target was replaced: look the section up again by its id.
    var id = event.detail.target && event.detail.target.id;
    var section = id ? document.getElementById(id) : null;
    if (section && section.id !== "results") { focusFirstError(section); }
  });
})();
