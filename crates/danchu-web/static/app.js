// danchu: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Move keyboard focus to the first field the server marked invalid.
  document.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector('[aria-invalid="true"]');
    if (bad) { bad.focus(); }
    // The print view's button (hidden without JavaScript, where the browser's own print works).
    var pb = document.querySelector(".print-button");
    if (pb) {
      pb.hidden = false;
      pb.addEventListener("click", function () { window.print(); });
    }
  });
})();
