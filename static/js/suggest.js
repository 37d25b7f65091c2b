// As-you-type suggestions for search boxes with data-suggest-url (ARIA 1.2 combobox with a
// listbox). Arrow keys move through the suggestions, Enter opens the highlighted one, Escape
// closes the list (a second Escape clears the box). Without JavaScript the plain form works.
(function () {
  "use strict";
  var counter = 0;

  function enhance(input) {
    var url = input.dataset.suggestUrl;
    // The words shown come from the page (templates/directory/_suggest_labels.html), translated.
    var TYPES = {
      category: input.dataset.labelCategory || "",
      area: input.dataset.labelArea || "",
      address: input.dataset.labelAddress || "",
      station: input.dataset.labelStation || "",
      mairie: input.dataset.labelMairie || ""
    };
    // data-suggest-fill (the "Près de" field): a suggestion fills the field, the form is sent
    // as usual; otherwise a suggestion opens its page.
    var fill = input.hasAttribute("data-suggest-fill");
    var id = input.id || "suggest-" + ++counter;
    var listbox = document.createElement("ul");
    var live = document.createElement("p");
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = null;
    var request = 0;

    listbox.id = id + "-listbox";
    listbox.className = "suggest";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.hidden = true;
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    var wrapper = document.createElement("div");
    wrapper.className = "suggest-wrap";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(listbox);
    wrapper.appendChild(live);

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(results) {
      items = results;
      listbox.textContent = "";
      results.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "suggest__label";
        label.textContent = item.label;
        var detail = document.createElement("span");
        detail.className = "suggest__detail";
        detail.textContent = " · " + (TYPES[item.type] || "") + (item.detail ? " · " + item.detail : "");
        option.appendChild(label);
        option.appendChild(detail);
        // mousedown, not click: it comes before the input's blur closes the list.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          go(index);
        });
        listbox.appendChild(option);
      });
      active = -1;
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      live.textContent = results.length
        ? (results.length > 1 ? (input.dataset.countMany || "{n}") : input.dataset.countOne || "1").replace("{n}", results.length)
        : "";
    }

    function go(index) {
      var item = items[index];
      if (!item) return;
      if (fill) {
        input.value = item.label;
        lastQuery = item.label;
        close();
        return;
      }
      window.location.assign(item.url);
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 2) {
        render([]);
        return;
      }
      var mine = ++request;
      fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (mine === request) render(data.results || []);
        })
        .catch(function () { /* suggestions are optional: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && items.length) {
          listbox.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight(items.length ? (active + 1) % items.length : -1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (items.length) highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          input.value = "";
          lastQuery = null;
          items = [];
        }
      }
    });
    input.addEventListener("blur", close);
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), enhance);
})();
