// Similarity pages: live progress while the pairs are computed (the page reloads when done),
// and, side by side, hovering a matched line lights up the same match on the other side.
(function () {
  "use strict";

  var box = document.getElementById("similarity-progress");
  var live = window.GraderLive;
  if (box && live) {
    var socket = live.connect();
    var count = document.getElementById("similarity-count");
    var state = document.getElementById("similarity-state");
    var fill = document.getElementById("similarity-fill");
    if (socket) {
      socket.on("similarity.progress", function (p) {
        if (p.challenge !== box.dataset.challenge) { return; }
        count.textContent = p.done + " / " + p.total;
        state.textContent = p.state === "queued" ? "Waiting for a worker\u2026" : "Comparing\u2026";
        fill.style.width = live.percent(p.done, p.total) + "%";
        if (p.state === "done" || p.state === "failed") { window.location.reload(); }
      });
      // A run that finished before this socket joined its room is found by asking once more.
      socket.on("connect", function () {
        fetch("/api/v1/challenges/" + encodeURIComponent(box.dataset.challenge) + "/similarity",
              { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { if (response.status === 200) { window.location.reload(); } })
          .catch(function () { /* the live events still arrive */ });
      });
    }
  }

  var pair = document.getElementById("pair");
  if (pair) {
    pair.addEventListener("mouseover", function (event) {
      var row = event.target.closest("tr[data-matches]");
      pair.querySelectorAll("tr.lit").forEach(function (r) { r.classList.remove("lit"); });
      if (!row) { return; }
      row.dataset.matches.split(" ").forEach(function (match) {
        pair.querySelectorAll("tr[data-matches]").forEach(function (other) {
          if (other.dataset.matches.split(" ").indexOf(match) !== -1) { other.classList.add("lit"); }
        });
      });
    });
  }
})();
