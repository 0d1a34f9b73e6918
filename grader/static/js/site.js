// Small behaviours shared by every page, kept out of the HTML so the pages need no inline script.
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before sending.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // <select data-autosubmit>: choosing an option sends its form (the concept filter).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // <form data-wait="hint-id">: show a "this takes a while" hint once the form is sent.
  document.querySelectorAll("form[data-wait]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var hint = document.getElementById(form.dataset.wait);
      if (hint) { hint.hidden = false; }
    });
  });
})();
