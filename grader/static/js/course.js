// Course pages: each <div data-countdown="ISO time"> says how long is left, and keeps saying it.
// Intl.RelativeTimeFormat words it in the browser's language; nothing else is needed for that.
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-countdown]");
  if (!nodes.length) { return; }
  var words = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  var UNITS = [["day", 86400], ["hour", 3600], ["minute", 60]];

  function phrase(seconds) {
    var size = Math.abs(seconds);
    for (var i = 0; i < UNITS.length; i++) {
      if (size >= UNITS[i][1] || i === UNITS.length - 1) {
        var count = Math.round(seconds / UNITS[i][1]);
        return words ? words.format(count, UNITS[i][0]) : count + " " + UNITS[i][0] + "(s)";
      }
    }
    return "";
  }

  function update() {
    var now = Date.now();
    nodes.forEach(function (node) {
      var at = new Date(node.dataset.countdown).getTime();
      if (isNaN(at)) { return; }
      var left = Math.round((at - now) / 1000);
      node.textContent = (node.dataset.prefix ? node.dataset.prefix + " " : "") + phrase(left);
      node.dataset.left = String(left);
      node.classList.toggle("soon", left > 0 && left < 86400);
      node.classList.toggle("passed", left <= 0);
    });
  }
  update();
  window.setInterval(update, 30000);
})();
