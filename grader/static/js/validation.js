// A challenge version being checked: the progress line follows `validation.update` live, and
// the page reloads with the verdict table when the check ends.
(function () {
  "use strict";

  var live = window.GraderLive;
  var box = document.getElementById("check-progress");
  if (!live || !box) { return; }
  var text = document.getElementById("check-progress-text");
  var slug = box.dataset.challenge;
  var number = Number(box.dataset.version);

  function show(event) {
    if (event.state === "done") {
      text.textContent = (event.valid ? "Passed" : "Failed") + ": loading the report\u2026";
      window.location.reload();
      return;
    }
    text.textContent = event.state === "queued" ? "Waiting for a grading worker\u2026" :
      "Checking in the sandbox: " + event.rows_done + " of " + event.rows_total + " folders graded\u2026";
  }

  // A check that ended before the socket joined its room is caught up from the API.
  function catchUp() {
    fetch("/api/v1/challenges/" + encodeURIComponent(slug) + "/versions/" + number,
          { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { show(state); } })
      .catch(function () { /* the live events still arrive */ });
  }

  var socket = live.connect();
  if (!socket) { return; }
  socket.on("connect", catchUp);
  socket.on("validation.update", function (event) {
    if (event.challenge === slug && Number(event.version) === number) { show(event); }
  });
})();
