// Search page enhancement: on wide screens the filter column has room, so open the "Filtrer" panel.
// Without JavaScript the <details> element still opens and closes on its own.
(function () {
  "use strict";
  var details = document.getElementById("more-filters");
  if (details && window.matchMedia && window.matchMedia("(min-width: 60em)").matches) {
    details.open = true;
  }
})();
