// Steps that cannot be taken back ask first: a button with data-confirm="…" submits its form only
// when the user agrees. Loaded as a file (the pages' Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
