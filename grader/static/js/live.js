// One Socket.IO connection to the `/live` namespace, shared by the page scripts.
// The browser's session cookie authenticates it; the server puts it in the right rooms.
(function () {
  "use strict";
  // Every signed-in page loads this file; a page that loads it again keeps the one socket.
  if (window.GraderLive) { return; }

  // The server's status vocabulary (grader/statuses.py), embedded in every page.
  var LABELS = {};
  var FINAL = [];
  var vocabulary = document.getElementById("status-vocabulary");
  JSON.parse(vocabulary ? vocabulary.textContent : "[]").forEach(function (status) {
    LABELS[status.name] = status.label;
    if (status.final) { FINAL.push(status.name); }
  });

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
    label: function (status) { return LABELS[status] || String(status || "").replace(/_/g, " "); },
    isFinal: function (status) { return FINAL.indexOf(status) !== -1; },
    percent: function (score, max) {
      if (!score || !max) { return 0; }
      return Math.max(0, Math.min(100, Math.round(100 * score / max)));
    }
  };
})();
