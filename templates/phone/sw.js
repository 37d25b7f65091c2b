{% comment %}
The service worker, served at /sw.js by directory.phone.views.service_worker (text/javascript,
scope "/"). `config` is our own JSON: the offline pages' paths per language, STATIC_URL, assets.
{% endcomment %}// Lyon Assos offline service worker: keeps the pages the server marks (X-Offline-Keep: the
// home page, listings, "Ma liste", the offline page; never for a signed-in visitor, see
// directory/phone/offline.py) and the CSS and JS they use, and answers with them when the
// network fails, showing the "Hors connexion : … enregistrée le …" notice. Pages: network
// first (always fresh online); every other request is left to the browser.
"use strict";

var CONFIG = {{ config|safe }};
var PAGES = "lyonassos-pages-v1"; // kept pages: they survive new versions of this worker
var STATIC = "lyonassos-static-v1";
var MAX_PAGES = 60;
var HASHED = /\.[0-9a-f]{12}(\.(?:css|js))$/; // ManifestStaticFilesStorage's names

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function isOfflinePage(url) {
  var path = new URL(url).pathname;
  return Object.keys(CONFIG.offline).some(function (lang) {
    return CONFIG.offline[lang] === path;
  });
}

function mayKeep(response) {
  var control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return (
    response.ok &&
    response.type === "basic" &&
    response.headers.get("X-Offline-Keep") === "1" &&
    control.indexOf("private") === -1 &&
    control.indexOf("no-store") === -1
  );
}

function pageKey(url) {
  var parsed = new URL(url);
  parsed.hash = "";
  return parsed.href;
}

function storePage(url, response) {
  return response.text().then(function (body) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Encoding");
    headers.delete("Content-Length");
    var title = (body.match(/<title>([^<]*)<\/title>/) || ["", ""])[1].trim();
    headers.set("X-Offline-Title", encodeURIComponent(title));
    headers.set("X-Offline-Saved-At", new Date().toISOString());
    if (isOfflinePage(url)) {
      headers.set("X-Offline-Page", "offline");
    }
    return caches.open(PAGES).then(function (cache) {
      var key = pageKey(url);
      return cache
        .delete(key) // a page kept again moves to the end: the oldest are dropped first
        .then(function () {
          return cache.put(key, new Response(body, { status: 200, headers: headers }));
        })
        .then(function () {
          return cache.keys();
        })
        .then(function (keys) {
          var extra = keys.filter(function (request) {
            return !isOfflinePage(request.url);
          }).slice(0, Math.max(0, keys.length - MAX_PAGES));
          return Promise.all(extra.map(function (request) { return cache.delete(request); }));
        });
    });
  });
}

function keepPage(url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    return mayKeep(response) ? storePage(response.url || url, response) : null;
  });
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
  });
}

// The kept copy, with its notice shown and dated in the page's language.
function keptPage(url) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(pageKey(url));
  }).then(function (response) {
    if (!response) {
      return null;
    }
    var saved = response.headers.get("X-Offline-Saved-At") || "";
    return response.text().then(function (body) {
      var lang = (body.match(/<html lang="([^"]+)"/) || ["", "fr"])[1];
      var date = saved
        ? new Date(saved).toLocaleString(lang, {
            day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
          })
        : "";
      body = body
        .replace("data-offline-notice hidden", "data-offline-notice")
        .replace(
          "<time data-offline-date></time>",
          '<time data-offline-date datetime="' + escapeHtml(saved) + '">' + escapeHtml(date) + "</time>"
        );
      return new Response(body, { status: 200, headers: response.headers });
    });
  });
}

function offlineAnswer(url) {
  var lang = new URL(url).pathname.split("/")[1];
  var path = CONFIG.offline[lang] || CONFIG.offline.fr;
  return keptPage(new URL(path, url).href).then(function (page) {
    return (
      page ||
      new Response("Hors connexion. / Offline.", {
        status: 503,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      })
    );
  });
}

function navigate(event) {
  var request = event.request;
  return fetch(request)
    .then(function (response) {
      if (mayKeep(response)) {
        event.waitUntil(storePage(request.url, response.clone()));
      }
      return response;
    })
    .catch(function () {
      return keptPage(request.url).then(function (page) {
        return page || offlineAnswer(request.url);
      });
    });
}

// Our CSS and JS: from the network (or the browser's HTTP cache), a copy kept for offline use.
// Offline, an earlier version of the same file does (names carry a hash of the content).
function staticFile(event) {
  var request = event.request;
  var unhashed = function (url) {
    return new URL(url).pathname.replace(HASHED, "$1");
  };
  return fetch(request)
    .then(function (response) {
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        event.waitUntil(
          caches.open(STATIC).then(function (cache) {
            return cache.keys().then(function (keys) {
              var older = keys.filter(function (key) {
                return key.url !== request.url && unhashed(key.url) === unhashed(request.url);
              });
              return Promise.all(older.map(function (key) { return cache.delete(key); })).then(function () {
                return cache.put(request, copy);
              });
            });
          })
        );
      }
      return response;
    })
    .catch(function (error) {
      return caches.open(STATIC).then(function (cache) {
        return cache.match(request).then(function (hit) {
          if (hit) {
            return hit;
          }
          return cache.keys().then(function (keys) {
            var same = keys.filter(function (key) { return unhashed(key.url) === unhashed(request.url); });
            if (same.length) {
              return cache.match(same[same.length - 1]);
            }
            throw error;
          });
        });
      });
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname.indexOf(CONFIG.static) === 0 && /\.(?:css|js)$/.test(url.pathname)) {
    event.respondWith(staticFile(event));
  }
});

// From offline.js on a page loaded before this worker ran: keep it, its files and the offline page.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep") {
    return;
  }
  var origin = self.location.origin;
  var offlinePath = CONFIG.offline[data.lang] || CONFIG.offline.fr;
  var work = [
    caches.open(PAGES).then(function (cache) {
      return cache.match(origin + offlinePath).then(function (hit) {
        return hit ? null : keepPage(origin + offlinePath);
      });
    }),
  ];
  if (typeof data.page === "string" && data.page.indexOf(origin + "/") === 0) {
    work.push(keepPage(data.page));
  }
  var assets = (Array.isArray(data.assets) ? data.assets : []).concat(CONFIG.assets);
  work.push(
    caches.open(STATIC).then(function (cache) {
      return Promise.all(
        assets
          .filter(function (asset) {
            return typeof asset === "string" && new URL(asset, origin).origin === origin;
          })
          .map(function (asset) {
            return cache.add(new URL(asset, origin).href).catch(function () {});
          })
      );
    })
  );
  event.waitUntil(Promise.all(work).catch(function () {}));
});
