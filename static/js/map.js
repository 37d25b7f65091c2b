// Map enhancement (results and listing pages). Without JavaScript nothing here runs: Leaflet is
// never downloaded and the #map container keeps its `hidden` attribute; the list on the page is
// the map's text alternative. Leaflet comes from our own static files (django-leaflet package).
// Markers come from <script type="application/json" id="map-data"> (Django's json_script).
(function () {
  "use strict";
  var container = document.getElementById("map");
  var source = document.getElementById("map-data");
  if (!container || !source) return;
  var markers;
  try {
    markers = JSON.parse(source.textContent);
  } catch (error) {
    return;
  }
  if (!markers.length) return;

  function load(tag, attributes, onload) {
    var element = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
    if (onload) element.addEventListener("load", onload);
    document.head.appendChild(element);
  }

  function popup(marker) {
    // Built with DOM nodes, never HTML strings: names are user content.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    box.appendChild(link);
    if (marker.place) {
      var where = document.createElement("div");
      where.textContent = marker.place;
      box.appendChild(where);
    }
    return box;
  }

  function draw() {
    var L = window.L;
    if (!L) return;
    container.hidden = false;
    var block = document.getElementById("map-block");
    if (block) block.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.tileLayer(container.dataset.tiles, {
      maxZoom: 19,
      attribution: container.dataset.attribution,
    }).addTo(map);
    var icon = L.icon({
      iconUrl: container.dataset.icon,
      iconRetinaUrl: container.dataset.icon2x,
      shadowUrl: container.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
    var points = [];
    markers.forEach(function (marker) {
      // keyboard: true (Leaflet's default) makes each marker a focusable button named by `alt`.
      L.marker([marker.lat, marker.lon], { icon: icon, alt: marker.name, title: marker.name, keyboard: true })
        .bindPopup(popup(marker))
        .addTo(map);
      points.push([marker.lat, marker.lon]);
    });
    map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
  }

  load("link", { rel: "stylesheet", href: container.dataset.leafletCss });
  load("script", { src: container.dataset.leafletJs }, draw);
})();
