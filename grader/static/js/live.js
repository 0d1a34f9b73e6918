// One Socket.IO connection to the `/live` namespace, shared by the page scripts.
// The browser's session cookie authenticates it; the server puts it in the right rooms.
(function () {
  "use strict";

  var VERDICTS = {
    queued: "Queued", running: "Running", passed: "Passed", failed: "Failed", error: "Error",
    timeout: "Timed out", memory: "Memory limit", rejected: "Rejected", internal_error: "Grader fault"
  };
  var FINAL = ["passed", "failed", "error", "timeout", "memory", "rejected", "internal_error"];

  var socket = null;
  function connect() {
    if (!socket && window.io) {
      // WebSocket first (no sticky sessions needed behind several web processes), long-polling
      // when a proxy refuses the upgrade.
      socket = window.io("/live", {
        transports: ["websocket", "polling"], tryAllTransports: true, withCredentials: true
      });
      socket.on("connect", function () { document.documentElement.dataset.live = "connected"; });
      socket.on("disconnect", function () { document.documentElement.dataset.live = "disconnected"; });
    }
    return socket;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  window.GraderLive = {
    connect: connect,
    socket: function () { return socket; },
    el: el,
    label: function (status) { return VERDICTS[status] || String(status || "").replace(/_/g, " "); },
    isFinal: function (status) { return FINAL.indexOf(status) !== -1; },
    percent: function (score, max) {
      if (!score || !max) { return 0; }
      return Math.max(0, Math.min(100, Math.round(100 * score / max)));
    }
  };
})();
