// Registers the service worker (templates/phone/sw.js, served at /sw.js) that keeps the home
// page, the listings opened and "Ma liste" for reading without a connection; on the offline page,
// lists what this phone keeps and lets the visitor erase it. Pages the worker may keep carry the
// hidden "Hors connexion" notice ([data-offline-notice]); the server decides (X-Offline-Keep).
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext || !window.caches) {
    return;
  }
  var PAGES = "lyonassos-pages-v1"; // the cache of kept pages, as named in sw.js

  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(function (registration) {
      if (navigator.serviceWorker.controller || !registration.active) {
        return; // this page came through the worker, which kept it already if it may
      }
      // The first visit: the page and its files loaded before the worker ran. Ask it to keep
      // them (from the browser's HTTP cache: nothing is downloaded twice).
      var assets = [];
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (node) {
        assets.push(node.href || node.src);
      });
      registration.active.postMessage({
        type: "keep",
        page: document.querySelector("[data-offline-notice]") ? location.href : null,
        lang: document.documentElement.lang,
        assets: assets,
      });
    })
    .catch(function () {});

  // The offline page: what this phone keeps.
  var section = document.getElementById("offline-kept");
  if (!section) {
    return;
  }
  var list = section.querySelector("[data-kept-pages]");
  var status = document.getElementById("offline-status");

  function draw() {
    caches.open(PAGES).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(
          requests.map(function (request) {
            return cache.match(request).then(function (response) {
              return { url: request.url, response: response };
            });
          })
        );
      });
    }).then(function (entries) {
      list.textContent = "";
      entries.forEach(function (entry) {
        var title = decodeURIComponent(entry.response.headers.get("X-Offline-Title") || "");
        if (!title || entry.response.headers.get("X-Offline-Page") === "offline") {
          return;
        }
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = entry.url;
        link.textContent = title;
        item.appendChild(link);
        var saved = entry.response.headers.get("X-Offline-Saved-At");
        if (saved) {
          var when = document.createElement("span");
          when.className = "muted";
          when.textContent = " · " + new Date(saved).toLocaleString(document.documentElement.lang, {
            day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
          });
          item.appendChild(when);
        }
        list.appendChild(item);
      });
      if (!list.children.length) {
        var empty = document.createElement("li");
        empty.textContent = section.dataset.empty;
        list.appendChild(empty);
      }
      section.hidden = false;
    }).catch(function () {});
  }

  document.getElementById("offline-clear").addEventListener("click", function (event) {
    var button = event.currentTarget;
    caches.delete(PAGES).then(function () {
      status.textContent = button.dataset.done;
      draw();
    });
  });
  draw();
})();
