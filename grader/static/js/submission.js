// The submission page: each test row appears the moment its `test.result` arrives, then the score.
(function () {
  "use strict";

  var live = window.GraderLive;
  var box = document.getElementById("submission");
  if (!live || !box) { return; }

  var submissionId = Number(box.dataset.submissionId);
  var list = document.getElementById("tests");
  var badge = document.getElementById("status");
  var score = document.getElementById("score");
  var maxScore = document.getElementById("max-score");
  var fill = document.getElementById("score-fill");
  var waiting = document.getElementById("tests-waiting");
  var progress = document.getElementById("progress-line");
  var progressText = document.getElementById("progress-text");
  var message = document.getElementById("verdict-message");
  var count = document.getElementById("test-count");
  var timingLine = document.getElementById("timings");
  var creditLine = document.getElementById("credit-line");

  function addTest(test, animate) {
    var key = String(test.id);
    var existing = Array.prototype.find.call(list.children, function (li) {
      return li.dataset.testId === key;
    });
    var row = live.el("li", { "class": "test test-" + test.status, "data-test-id": key });
    if (animate) { row.classList.add("arrived"); }
    row.appendChild(live.el("span", { "class": "icon", "aria-hidden": "true" },
                            test.status === "passed" ? "\u2713" : "\u2717"));
    var text = live.el("div");
    text.appendChild(live.el("div", { "class": "title" }, test.title || test.id));
    text.appendChild(live.el("div", { "class": "test-id" }, test.id));
    row.appendChild(text);
    row.appendChild(live.el("span", { "class": "pts" }, test.points + " / " + test.max_points + " pts"));
    if (test.message) { row.appendChild(live.el("pre", { "class": "message" }, test.message)); }
    if (existing) { list.replaceChild(row, existing); } else { list.appendChild(row); }
    waiting.hidden = true;
    count.textContent = "(" + list.children.length + ")";
  }

  function stage(status) {
    return status === "queued" ? 0 : status === "running" ? 1 : 2;
  }

  function ordinal(n) {
    var tens = n % 100, last = n % 10;
    var suffix = (tens >= 11 && tens <= 13) ? "th" : last === 1 ? "st" : last === 2 ? "nd" : last === 3 ? "rd" : "th";
    return n + suffix;
  }

  function waitText(update) {
    if (update.queue_position === undefined || update.queue_position === null) {
      return "Waiting for a grader\u2026";
    }
    var eta = update.eta_s ? ", about " + update.eta_s + " s" : ", next";
    return update.queue_position === 1 ? "Next in line\u2026" : ordinal(update.queue_position) + " in line" + eta + "\u2026";
  }

  function setStatus(update) {
    var status = update.status;
    // A stored record may be older than the live events already shown: never step back to it.
    if (update.fromRecord && stage(status) < stage(box.dataset.status)) { return; }
    // A movement of the line only ever concerns a submission still waiting in it.
    if (update.moved && box.dataset.status !== "queued") { return; }
    badge.className = "badge badge-" + status;
    badge.dataset.status = status;
    badge.textContent = live.label(status);
    box.dataset.status = status;
    if (update.max_score) { maxScore.textContent = update.max_score; }
    if (live.isFinal(status)) {
      box.dataset.final = "true";
      // A course may hold the score back until its due time: it then arrives as null.
      var hidden = update.score === null || update.score === undefined;
      score.textContent = hidden ? "\u2013" : String(update.score);
      var pct = hidden ? 0 : live.percent(update.score, update.max_score);
      fill.style.width = pct + "%";
      fill.classList.toggle("full", pct === 100);
      progress.hidden = true;
      if (!list.children.length) { waiting.hidden = true; }
      if (update.message) { message.textContent = update.message; message.hidden = false; }
      var timings = update.timings_ms;
      if (timings && timings.run !== undefined) {
        timingLine.textContent = "Waited " + ((timings.queued || 0) / 1000).toFixed(1) +
          " s in the queue, ran in " + (timings.run / 1000).toFixed(1) + " s.";
        timingLine.hidden = false;
      }
      if (update.fromRecord && update.course && !hidden && creditLine) {
        var late = Number(update.late_hours || 0);
        creditLine.textContent = "graded " + update.score + "/" + update.max_score + ", " +
          update.credit + "% credit: " + update.credited_score +
          (late > 0 ? " (" + late.toFixed(1) + " h late)" : "");
        creditLine.hidden = false;
      }
      // The final event carries no test list or message: take them from the stored record.
      if (!update.fromRecord) { catchUp(); }
    } else {
      progress.hidden = false;
      progressText.textContent = status === "queued" ? waitText(update) : "Running the hidden tests\u2026";
      if (status === "queued" && !update.fromRecord && !update.moved) {
        // A regrade starts over: the old rows are about to be replaced. (A stored record never
        // clears rows: it may be older than test results that already arrived.)
        list.textContent = "";
        count.textContent = "(0)";
        waiting.hidden = false;
        score.textContent = "\u2013";
        fill.style.width = "0%";
      }
    }
  }

  // Events that fired before the socket joined its room are caught up from the stored record
  // (the API's GET, which accepts the browser session for reading).
  var liveUpdates = 0; // submission.update events received so far
  function catchUp() {
    var before = liveUpdates;
    fetch(box.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (record) {
        if (!record) { return; }
        // A queued record's tests belong to an earlier grading (regrade or retry): skip them.
        if (record.status !== "queued") {
          (record.tests || []).forEach(function (test) { addTest(test, false); });
        }
        // A live update that arrived while the record was on its way is newer than it.
        if (liveUpdates !== before) { return; }
        record.fromRecord = true;
        setStatus(record);
      })
      .catch(function () { /* the live events still arrive; nothing to repair */ });
  }

  var socket = live.connect();
  if (!socket) { return; }
  socket.on("connect", catchUp);
  socket.on("test.result", function (event) {
    if (Number(event.submission_id) === submissionId) { addTest(event.test, true); }
  });
  socket.on("submission.update", function (event) {
    if (Number(event.id) === submissionId) { liveUpdates += 1; setStatus(event); }
  });
})();
