// The teacher's submissions table: statuses and scores follow `submission.update` live,
// with a running count while a regrade is in progress.
(function () {
  "use strict";

  var live = window.GraderLive;
  var table = document.getElementById("all-submissions");
  var progress = document.getElementById("regrade-progress");
  if (!live || !table) { return; }

  function rows() { return Array.prototype.slice.call(table.querySelectorAll("tr[data-submission-id]")); }

  function showProgress() {
    var all = rows();
    var pending = all.filter(function (row) { return !live.isFinal(row.dataset.status); }).length;
    if (!pending) {
      if (!progress.hidden) { progress.textContent = "All " + all.length + " submission(s) graded."; }
      return;
    }
    progress.hidden = false;
    progress.textContent = "Grading: " + (all.length - pending) + " of " + all.length + " done\u2026";
  }

  var socket = live.connect();
  if (!socket) { return; }
  socket.on("submission.update", function (event) {
    var row = table.querySelector('tr[data-submission-id="' + Number(event.id) + '"]');
    if (!row) { return; }
    row.dataset.status = event.status;
    var badge = row.querySelector(".status .badge");
    badge.className = "badge badge-" + event.status;
    badge.dataset.status = event.status;
    badge.textContent = live.label(event.status);
    if (live.isFinal(event.status)) {
      row.querySelector(".score").textContent = event.score + " / " + event.max_score;
      row.classList.remove("flash-row");
      void row.offsetWidth;  // restart the highlight animation
      row.classList.add("flash-row");
    }
    showProgress();
  });
  showProgress();
})();
