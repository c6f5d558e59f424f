// examsite: ask before a form that cannot be undone (submitting an exam) is sent.
(function () {
  "use strict";

  function init() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (evt) {
        if (!window.confirm(form.dataset.confirm)) evt.preventDefault();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
