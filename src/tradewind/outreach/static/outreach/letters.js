/* Letters (outreach O2): show the "at" field only when "At a time I choose" is picked.
   The page works without this file (the field is then always shown). */
(function () {
  "use strict";
  function sync() {
    document.querySelectorAll("[data-show-if-choice]").forEach(function (wrapper) {
      var rule = wrapper.getAttribute("data-show-if-choice").split("=");
      var form = wrapper.closest("form");
      var checked = form && form.querySelector('input[name="' + rule[0] + '"]:checked');
      wrapper.hidden = !(checked && checked.value === rule[1]) && !wrapper.querySelector(".invalid-feedback");
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches('input[type="radio"]')) { sync(); }
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
