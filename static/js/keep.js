// "Garder": a list of listings kept in this browser (localStorage), never sent to the server.
// Each "Garder" link (templates/phone/_keep.html) becomes a toggle button; "Ma liste" without a
// link (`/ma-liste/`) is drawn here from the storage; a list received by link can be kept whole.
// Without JavaScript or storage, "Garder" stays a link to "Ma liste" with that listing.
(function () {
  "use strict";
  var KEY = "lyonassos-ma-liste";
  var status = document.getElementById("keep-status");
  var max = status ? parseInt(status.dataset.max, 10) || 30 : 30;
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + "-test", "1");
    storage.removeItem(KEY + "-test");
  } catch (error) {
    return; // storage off (private browsing on some phones): the links keep working
  }

  function read() {
    try {
      var items = JSON.parse(storage.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (item) { return item && item.slug; }) : [];
    } catch (error) {
      return [];
    }
  }

  function write(items) {
    storage.setItem(KEY, JSON.stringify(items.slice(0, max)));
  }

  function isKept(slug) {
    return read().some(function (item) { return item.slug === slug; });
  }

  function say(template, name) {
    if (status && template) {
      status.textContent = template.replace("%s", name || "");
    }
  }

  function itemOf(element) {
    var data = element.dataset;
    return {
      slug: data.keep,
      name: data.name || "",
      url: data.url || "",
      phone: data.phone || "",
      address: data.address || "",
      savedAt: new Date().toISOString(),
    };
  }

  // Adds (true) or removes (false) a listing; false when the list is full.
  function setKept(item, keep) {
    var items = read().filter(function (other) { return other.slug !== item.slug; });
    if (keep) {
      if (items.length >= max) {
        say(status && status.dataset.full);
        return false;
      }
      items.push(item);
    }
    write(items);
    say(status && (keep ? status.dataset.added : status.dataset.removed), item.name);
    refresh();
    return true;
  }

  function refresh() {
    document.querySelectorAll("button[data-keep]").forEach(function (button) {
      button.setAttribute("aria-pressed", isKept(button.dataset.keep) ? "true" : "false");
    });
    drawStoredList();
  }

  function toButton(link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.innerHTML = link.innerHTML; // our own markup: the label and its hidden part
    if (link.hasAttribute("aria-describedby")) {
      button.setAttribute("aria-describedby", link.getAttribute("aria-describedby"));
    }
    Object.keys(link.dataset).forEach(function (key) {
      button.dataset[key] = link.dataset[key];
    });
    button.addEventListener("click", function () {
      setKept(itemOf(button), button.getAttribute("aria-pressed") !== "true");
    });
    link.replaceWith(button);
  }

  // "Ma liste" without a link: the list of this browser.
  var root = document.getElementById("my-list-stored");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function telHref(phone) {
    var digits = phone.replace("(0)", "").replace(/[^\d+]/g, "");
    return /\d/.test(digits) ? "tel:" + digits : "";
  }

  function drawStoredList() {
    if (!root) {
      return;
    }
    var items = read();
    var list = root.querySelector("[data-items]");
    list.textContent = "";
    items.forEach(function (item) {
      var li = element("li", "my-list__item");
      var title = element("h2", "my-list__name");
      var link = element("a", "", item.name);
      link.href = item.url;
      link.lang = "fr";
      title.appendChild(link);
      li.appendChild(title);
      if (item.address) {
        li.appendChild(element("p", "my-list__address", item.address));
      }
      var tel = item.phone ? telHref(item.phone) : "";
      if (item.phone) {
        // On paper (and where the number cannot be called), the number as text.
        var number = element("p", "my-list__hours");
        number.appendChild(element("span", tel ? "print-only" : "", root.dataset.tel + " " + item.phone));
        li.appendChild(number);
      }
      var actions = element("p", "my-list__actions no-print");
      if (tel) {
        var call = element("a", "button button--small", root.dataset.call + " " + item.phone);
        call.href = tel;
        actions.appendChild(call);
      }
      var remove = element("button", "button--small", root.dataset.remove);
      remove.type = "button";
      remove.setAttribute("aria-label", root.dataset.remove + " : " + item.name);
      remove.addEventListener("click", function () {
        setKept(item, false);
        var heading = document.getElementById("my-list-title");
        if (heading) {
          heading.focus(); // the button is gone: keep the focus on the page
        }
      });
      actions.appendChild(remove);
      li.appendChild(actions);
      list.appendChild(li);
    });
    var slugs = items.map(function (item) { return item.slug; }).join(",");
    document.querySelectorAll("[data-when-empty]").forEach(function (node) { node.hidden = items.length > 0; });
    document.querySelectorAll("[data-when-filled]").forEach(function (node) { node.hidden = items.length === 0; });
    var url = root.dataset.listUrl + (slugs ? "?f=" + slugs : "");
    var field = document.getElementById("list-url");
    if (field) {
      field.value = url;
    }
    var open = document.getElementById("list-link");
    if (open) {
      open.href = url;
    }
    var sms = document.getElementById("list-sms");
    if (sms) {
      sms.href = "sms:?&body=" + encodeURIComponent(sms.dataset.text + " " + url);
    }
    var whatsapp = document.getElementById("list-whatsapp");
    if (whatsapp && sms) {
      whatsapp.href = "https://wa.me/?text=" + encodeURIComponent(sms.dataset.text + " " + url);
    }
    var native = document.getElementById("share-native");
    if (native) {
      native.dataset.shareUrl = url;
    }
  }

  document.querySelectorAll("a[data-keep]").forEach(toButton);
  document.querySelectorAll("[data-js-only]").forEach(function (node) { node.hidden = false; });
  document.querySelectorAll("[data-no-js]").forEach(function (node) { node.hidden = true; });

  // A list received by link: keep it all in this browser.
  var keepAll = document.getElementById("keep-all");
  if (keepAll) {
    keepAll.addEventListener("click", function () {
      document.querySelectorAll("#my-list-items button[data-keep]").forEach(function (button) {
        if (button.getAttribute("aria-pressed") !== "true") {
          setKept(itemOf(button), true);
        }
      });
      say(keepAll.dataset.done);
    });
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  refresh();
})();
