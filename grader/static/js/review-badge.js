// The navigation's badge of unread review comments, kept current by `review.unread` events.
(function () {
  "use strict";

  var live = window.GraderLive;
  var badge = document.getElementById("review-badge");
  if (!live || !badge) { return; }

  function show(count) {
    badge.dataset.count = String(count);
    badge.firstChild.textContent = String(count);
    badge.hidden = !count;
  }

  var socket = live.connect();
  if (!socket) { return; }
  socket.on("review.unread", function (event) { show(Number(event.count) || 0); });
  window.GraderReviewBadge = { show: show };
})();
