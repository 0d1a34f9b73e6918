// The challenge page's editor: one CodeMirror per editable file, shown as tabs.
(function () {
  "use strict";

  var MODES = {
    py: "python",
    html: { name: "htmlmixed" },
    jinja: "jinja2",
    jinja2: "jinja2",
    js: "javascript",
    json: { name: "javascript", json: true },
    css: "css"
  };

  function modeFor(path) {
    var ext = path.split(".").pop().toLowerCase();
    return MODES[ext] || null;
  }

  var form = document.getElementById("submit-form");
  if (!form) { return; }

  var editors = [];
  var areas = form.querySelectorAll("textarea.code");
  if (window.CodeMirror) {
    areas.forEach(function (area) {
      var editor = window.CodeMirror.fromTextArea(area, {
        mode: modeFor(area.dataset.path),
        lineNumbers: true,
        indentUnit: 4,
        tabSize: 4,
        indentWithTabs: false,
        matchBrackets: true,
        viewportMargin: 50,
        extraKeys: {
          // Python wants spaces: Tab indents with spaces instead of inserting a tab.
          Tab: function (cm) {
            if (cm.somethingSelected()) { cm.indentSelection("add"); }
            else { cm.replaceSelection(" ".repeat(cm.getOption("indentUnit")), "end"); }
          },
          "Shift-Tab": function (cm) { cm.indentSelection("subtract"); },
          "Ctrl-Enter": function () { form.requestSubmit(); },
          "Cmd-Enter": function () { form.requestSubmit(); }
        }
      });
      editor.getWrapperElement().dataset.path = area.dataset.path;
      editors.push(editor);
    });
  }

  var tabs = form.querySelectorAll("[data-tab]");
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      var index = tab.dataset.tab;
      tabs.forEach(function (t) { t.setAttribute("aria-selected", t === tab ? "true" : "false"); });
      form.querySelectorAll("[data-pane]").forEach(function (pane) {
        pane.hidden = pane.dataset.pane !== index;
      });
      // A hidden CodeMirror measures nothing: refresh it once it is visible.
      if (editors[index]) { editors[index].refresh(); editors[index].focus(); }
    });
  });

  form.addEventListener("submit", function () {
    editors.forEach(function (editor) { editor.save(); });
    var button = form.querySelector("[type=submit]");
    if (button) {
      // Disabled after this event finishes so the button's own value is still sent.
      setTimeout(function () { button.disabled = true; button.value = "Sending..."; }, 0);
    }
  });
})();
