// "Près de moi": where the browser can locate, a button fills lat/lon and submits the search
// sorted by distance. Without JavaScript (or geolocation) the button stays hidden; "Où ?"
// (a commune or quartier) with "Trier par : Distance" does the same from the area's centre.
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  if (!button || !("geolocation" in navigator)) return;
  var form = button.form;
  var status = document.getElementById("near-me-status");
  button.hidden = false;

  function field(name, value) {
    var input = form.querySelector("input[type=hidden][name=" + name + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    if (status) status.textContent = "…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        // Four decimals (about 10 m) are enough to sort by distance and say less about you.
        field("lat", position.coords.latitude.toFixed(4));
        field("lon", position.coords.longitude.toFixed(4));
        var sort = form.querySelector("[name=tri]");
        if (sort) sort.value = "distance";
        else field("tri", "distance");
        var area = form.querySelector("[name=territoire]");
        if (area) area.value = "";
        var named = form.querySelector("[name=pres]");  // the position replaces a typed place
        if (named) named.value = "";
        form.submit();
      },
      function () {
        button.disabled = false;
        if (status) status.textContent = button.dataset.error;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
    );
  });
})();
