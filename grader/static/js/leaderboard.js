// The leaderboard page: the table is rebuilt from each `leaderboard.update`; changed rows flash.
(function () {
  "use strict";

  var live = window.GraderLive;
  var table = document.getElementById("leaderboard");
  if (!live || !table) { return; }
  var body = table.tBodies[0];
  var me = table.dataset.me;
  var state = document.getElementById("live-state");

  function formatTime(iso) {
    if (!iso) { return "-"; }
    var moment = new Date(iso);
    if (isNaN(moment.getTime())) { return iso; }
    // Same shape as the server-rendered cells: 2026-11-23 10:00 UTC
    return moment.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function previousScores() {
    var scores = {};
    Array.prototype.forEach.call(body.rows, function (row) {
      if (row.dataset.name) { scores[row.dataset.name] = row.querySelector(".score").textContent; }
    });
    return scores;
  }

  function render(rows) {
    var before = previousScores();
    var fresh = document.createDocumentFragment();
    rows.forEach(function (entry) {
      var row = live.el("tr", { "data-name": entry.name });
      if (entry.name === me) { row.classList.add("me"); }
      if (before[entry.name] !== String(entry.score)) { row.classList.add("flash-row"); }
      row.appendChild(live.el("td", { "class": "num" }, entry.rank));
      row.appendChild(live.el("td", {}, entry.name));
      row.appendChild(live.el("td", { "class": "num score" }, entry.score));
      row.appendChild(live.el("td", { "class": "num" }, entry.solved));
      var cell = live.el("td", { "class": "hide-sm" });
      cell.appendChild(live.el("time", { datetime: entry.last_improvement || "" },
                               formatTime(entry.last_improvement)));
      row.appendChild(cell);
      fresh.appendChild(row);
    });
    if (!rows.length) {
      var empty = live.el("tr", { "class": "placeholder" });
      empty.appendChild(live.el("td", { colspan: "5", "class": "empty" },
                                "Nobody is on the board yet. The first graded submission puts someone here."));
      fresh.appendChild(empty);
    }
    body.replaceChildren(fresh);
    table.dataset.updatedAt = String(Date.now());
  }

  var socket = live.connect();
  if (!socket) { return; }
  socket.on("connect", function () { state.textContent = "Live"; state.dataset.state = "live"; });
  socket.on("disconnect", function () {
    state.textContent = "Reconnecting\u2026";
    state.dataset.state = "offline";
  });
  // A course page shows its own board (events with its `course`); the global page, the rest.
  var course = table.dataset.course || null;
  socket.on("leaderboard.update", function (event) {
    if ((event.course || null) === course) { render(event.rows || []); }
  });
})();
