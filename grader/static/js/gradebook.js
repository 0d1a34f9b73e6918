// The gradebook page: click a column heading to sort by it (tablesort, vendored from npm).
(function () {
  "use strict";
  var table = document.getElementById("gradebook");
  if (table && window.Tablesort) { new window.Tablesort(table); }
})();
