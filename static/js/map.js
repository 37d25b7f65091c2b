// Map enhancement (results and listing pages), on demand. Opening a page loads only this file:
// the "Afficher la carte" button loads Leaflet and its CSS (our own static files, from the
// XStatic-Leaflet package), then draws the markers; tiles come only then. The choice is kept in
// localStorage, so a visitor who wants the map gets it on the next pages without a click, until
// "Masquer la carte". Without JavaScript nothing here runs: the button and the #map container keep
// their `hidden` attribute; the list on the page is the map's text alternative.
// Markers come from <script type="application/json" id="map-data"> (Django's json_script).
(function () {
  "use strict";
  var container = document.getElementById("map");
  var source = document.getElementById("map-data");
  var toggle = document.getElementById("map-toggle");
  var block = document.getElementById("map-block");
  var note = document.getElementById("map-note");
  if (!container || !source || !toggle || !block || !note) return;
  var markers;
  try {
    markers = JSON.parse(source.textContent);
  } catch (error) {
    return;
  }
  if (!markers.length) return;

  var STORAGE_KEY = "lyonassos:map";
  var showLabel = toggle.textContent;
  var map = null;
  var loading = false;

  function remember(shown) {
    try {
      if (shown) window.localStorage.setItem(STORAGE_KEY, "1");
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // Storage refused (private mode, quota): the map is simply not remembered.
    }
  }

  function remembered() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  function load(tag, attributes, done) {
    var element = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
    element.addEventListener("load", function () { done(true); });
    element.addEventListener("error", function () { done(false); });
    document.head.appendChild(element);
  }

  function popup(marker) {
    // Built with DOM nodes, never HTML strings: names are user content.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    link.lang = "fr"; // written by the association, in French
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
    container.hidden = false;
    note.hidden = false;
    map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
    // Leaflet's own button titles are English: the page gives them in its language.
    L.control.zoom({ zoomInTitle: container.dataset.zoomIn, zoomOutTitle: container.dataset.zoomOut }).addTo(map);
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

  function isShown() {
    return toggle.getAttribute("aria-expanded") === "true";
  }

  function setShown(shown) {
    toggle.setAttribute("aria-expanded", shown ? "true" : "false");
    toggle.textContent = shown ? toggle.dataset.hideLabel : showLabel;
  }

  function show() {
    setShown(true);
    if (map) {
      container.hidden = false;
      note.hidden = false;
      map.invalidateSize();
      return;
    }
    if (window.L) {
      draw();
      return;
    }
    if (loading) return;
    loading = true;
    // Leaflet's CSS and script load side by side; the map is drawn once both are there.
    var waiting = 2;
    var failed = false;
    function ready(ok) {
      failed = failed || !ok;
      waiting -= 1;
      if (waiting) return;
      loading = false;
      if (failed || !window.L) {
        setShown(false);
        return;
      }
      if (isShown()) draw(); // not if "Masquer la carte" was pressed meanwhile
    }
    load("link", { rel: "stylesheet", href: container.dataset.leafletCss }, ready);
    load("script", { src: container.dataset.leafletJs }, ready);
  }

  function hide() {
    setShown(false);
    container.hidden = true;
    note.hidden = true;
  }

  block.hidden = false;
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var shown = !isShown();
    if (shown) show();
    else hide();
    remember(shown);
  });
  if (remembered()) show();
})();
