// The quiz page's enhancements. Without them the page still works: every question is a plain
// form field, an order question a table of selects. With them, an order question becomes two
// keyboard-friendly lists ("Available lines", "My code") that fill the same selects.
(function () {
  "use strict";

  // -- an attempt still being graded: reload once its record says it is done ----------------
  var pending = document.querySelector("[data-quiz-pending]");
  if (pending) {
    var vocabulary = JSON.parse(document.getElementById("status-vocabulary").textContent);
    var final = vocabulary.filter(function (s) { return s.final; }).map(function (s) { return s.name; });
    var poll = function () {
      fetch(pending.dataset.stateUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (record) {
          if (record && final.indexOf(record.status) >= 0) { window.location.reload(); }
          else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }

  // -- after answering one question, its feedback takes the focus (screen readers read it) ----
  var feedback = document.querySelector("[data-quiz-focus]");
  if (feedback && window.location.hash === "#feedback") { feedback.focus(); }

  // -- order questions ------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function OrderQuestion(root) {
    var qid = root.dataset.order;
    var width = parseInt(root.dataset.indent, 10) || 4;
    var maxIndent = parseInt(root.dataset.maxIndent, 10) || 6;
    var grid = root.querySelector("[data-order-grid]");
    var given = root.querySelector("[data-given-lines]");
    var lines = Array.prototype.map.call(given.querySelectorAll("li code"), function (c) { return c.textContent; });
    var rows = Array.prototype.map.call(grid.querySelectorAll("tbody tr"), function (tr) {
      var selects = tr.querySelectorAll("select");
      return {line: selects[0], indent: selects[1]};
    });
    var program = [];  // [{line: index into lines, level: indentation level}]
    rows.forEach(function (row) {  // what the selects hold (the browser may restore them)
      if (row.line.value !== "") { program.push({line: +row.line.value, level: +row.indent.value}); }
    });
    var used = function (i) { return program.some(function (p) { return p.line === i; }); };
    var selected = {available: 0, program: 0};
    var grabbed = false;
    var base = "order-" + qid;

    var box = el("div", {"class": "parsons"});
    var keys = el("p", {"class": "hint", id: base + "-keys"},
      "In Available lines, Enter adds the chosen line to the end of My code. In My code, " +
      "the up and down arrows choose a line, Alt with an arrow (or Space, then the arrows) moves it, " +
      "the right and left arrows indent and outdent it, Delete puts it back.");
    var lists = el("div", {"class": "parsons-lists"});
    var status = el("p", {"class": "visually-hidden", "aria-live": "polite", id: base + "-status"});

    function column(name, label, tag) {
      var wrap = el("div", {"class": "parsons-column"});
      var heading = el("h3", {id: base + "-" + name + "-label"}, label);
      var list = el(tag, {role: "listbox", tabindex: "0", id: base + "-" + name,
                          "aria-labelledby": heading.id, "aria-describedby": keys.id,
                          "class": "parsons-list parsons-" + name});
      var empty = el("p", {"class": "muted parsons-empty"});
      var tools = el("div", {role: "group", "aria-label": label + ": actions", "class": "actions parsons-tools"});
      wrap.appendChild(heading); wrap.appendChild(list); wrap.appendChild(empty); wrap.appendChild(tools);
      lists.appendChild(wrap);
      return {list: list, empty: empty, tools: tools};
    }
    var avail = column("available", "Available lines", "ul");
    var mine = column("program", "My code", "ol");
    avail.empty.textContent = "Every line is in My code.";
    mine.empty.textContent = "No line yet: add lines from Available lines.";

    function button(tools, text, act) {
      var b = el("button", {type: "button", "class": "secondary small", "data-act": act}, text);
      tools.appendChild(b);
      return b;
    }
    button(avail.tools, "Add to my code", "add");
    button(mine.tools, "Move up", "up");
    button(mine.tools, "Move down", "down");
    button(mine.tools, "Outdent", "outdent");
    button(mine.tools, "Indent", "indent");
    button(mine.tools, "Remove", "remove");

    function availableLines() {
      return lines.map(function (_, i) { return i; }).filter(function (i) { return !used(i); });
    }

    function describe(entry, place) {
      return "line " + (place + 1) + ", indentation " + entry.level + ": " + lines[entry.line];
    }

    function announce(text) { status.textContent = text; }

    function sync() {  // My code -> the plain form fields that are submitted
      rows.forEach(function (row, k) {
        var entry = program[k];
        row.line.value = entry ? String(entry.line) : "";
        row.indent.value = entry ? String(Math.min(entry.level, maxIndent)) : "0";
      });
    }

    function renderList(target, items, which, text) {
      target.list.textContent = "";
      var index = Math.max(0, Math.min(selected[which], items.length - 1));
      selected[which] = index;
      items.forEach(function (item, k) {
        var option = el("li", {role: "option", id: base + "-" + which + "-" + k,
                               "aria-selected": k === index ? "true" : "false",
                               "class": "parsons-line" + (k === index ? " current" : "")});
        text(option, item, k);
        option.addEventListener("click", function () {
          selected[which] = k; render(); target.list.focus();
        });
        target.list.appendChild(option);
      });
      target.empty.hidden = items.length > 0;
      if (items.length) { target.list.setAttribute("aria-activedescendant", base + "-" + which + "-" + index); }
      else { target.list.removeAttribute("aria-activedescendant"); }
    }

    function render() {
      renderList(avail, availableLines(), "available", function (option, i) {
        option.appendChild(el("code", {}, lines[i]));
      });
      renderList(mine, program, "program", function (option, entry, k) {
        option.appendChild(el("span", {"class": "parsons-level", "aria-hidden": "true"}, "⇥" + entry.level));
        option.appendChild(el("code", {"class": "parsons-code"}, new Array(entry.level * width + 1).join(" ") + lines[entry.line]));
        option.appendChild(el("span", {"class": "visually-hidden"}, ", indentation " + entry.level));
        if (grabbed && k === selected.program) {
          option.classList.add("grabbed");
          option.appendChild(el("span", {"class": "parsons-moving"}, " (moving)"));
        }
      });
      sync();
    }

    function add() {
      var free = availableLines();
      if (!free.length) { announce("No line is left to add."); return; }
      var i = free[selected.available];
      program.push({line: i, level: 0});
      selected.program = program.length - 1;
      render();
      announce("Added " + describe(program[program.length - 1], program.length - 1) + ".");
    }

    function move(step) {
      var k = selected.program, to = k + step;
      if (!program.length) { return; }
      if (to < 0 || to >= program.length) { announce("The line is already " + (step < 0 ? "first." : "last.")); return; }
      var entry = program.splice(k, 1)[0];
      program.splice(to, 0, entry);
      selected.program = to;
      render();
      announce("Moved to " + describe(entry, to) + ".");
    }

    function shift(step) {
      var entry = program[selected.program];
      if (!entry) { return; }
      var level = Math.max(0, Math.min(maxIndent, entry.level + step));
      if (level === entry.level) { announce("Indentation stays " + level + "."); return; }
      entry.level = level;
      render();
      announce("Indentation " + level + " for " + describe(entry, selected.program) + ".");
    }

    function remove() {
      var entry = program[selected.program];
      if (!entry) { return; }
      program.splice(selected.program, 1);
      grabbed = false;
      render();
      announce("Put back in Available lines: " + lines[entry.line] + ".");
    }

    function choose(which, items, to) {
      if (!items.length) { return; }
      selected[which] = Math.max(0, Math.min(items.length - 1, to));
      render();
      if (which === "program" && grabbed) { return; }
      var text = which === "program" ? describe(program[selected.program], selected.program)
        : lines[availableLines()[selected.available]];
      announce(text);
    }

    avail.list.addEventListener("keydown", function (e) {
      var free = availableLines();
      if (e.key === "ArrowDown") { choose("available", free, selected.available + 1); }
      else if (e.key === "ArrowUp") { choose("available", free, selected.available - 1); }
      else if (e.key === "Home") { choose("available", free, 0); }
      else if (e.key === "End") { choose("available", free, free.length - 1); }
      else if (e.key === "Enter" || e.key === " ") { add(); }
      else { return; }
      e.preventDefault();
    });

    mine.list.addEventListener("keydown", function (e) {
      var moving = grabbed || e.altKey;
      if (e.key === "ArrowDown") { if (moving) { move(1); } else { choose("program", program, selected.program + 1); } }
      else if (e.key === "ArrowUp") { if (moving) { move(-1); } else { choose("program", program, selected.program - 1); } }
      else if (e.key === "ArrowRight") { shift(1); }
      else if (e.key === "ArrowLeft") { shift(-1); }
      else if (e.key === "Home" && !moving) { choose("program", program, 0); }
      else if (e.key === "End" && !moving) { choose("program", program, program.length - 1); }
      else if (e.key === "Delete" || e.key === "Backspace") { remove(); }
      else if (e.key === " " || e.key === "Enter") {
        if (!program.length) { return; }
        grabbed = !grabbed;
        render();
        announce(grabbed ? "Picked up " + describe(program[selected.program], selected.program) +
          ". The up and down arrows move it; Space drops it." : "Dropped at " +
          describe(program[selected.program], selected.program) + ".");
      }
      else if (e.key === "Escape" && grabbed) { grabbed = false; render(); announce("Dropped."); }
      else { return; }
      e.preventDefault();
    });
    mine.list.addEventListener("blur", function () { if (grabbed) { grabbed = false; render(); } });

    avail.tools.addEventListener("click", function (e) {
      if (e.target.dataset.act === "add") { add(); }
    });
    mine.tools.addEventListener("click", function (e) {
      var act = e.target.dataset.act;
      if (act === "up") { move(-1); } else if (act === "down") { move(1); }
      else if (act === "indent") { shift(1); } else if (act === "outdent") { shift(-1); }
      else if (act === "remove") { remove(); }
    });

    box.appendChild(keys);
    box.appendChild(lists);
    box.appendChild(status);
    root.appendChild(box);
    given.hidden = true;
    grid.hidden = true;  // still part of the form: its selects are what is sent
    render();
  }

  document.querySelectorAll(".order-question[data-order]").forEach(function (root) {
    OrderQuestion(root);
  });
})();
