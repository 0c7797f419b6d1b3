// danchu: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Move keyboard focus to the first field the server marked invalid.
  document.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector('[aria-invalid="true"]');
    if (bad) { bad.focus(); }
  });
})();
