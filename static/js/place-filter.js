// The "Où ?" select of the search filters (templates/directory/_area_select.html), searchable: a
// text field above it keeps only the places whose name contains what is typed, accents and case
// ignored ("grange" finds "Grange Blanche, Lyon 3e" and "Grange Blanche, Lyon 8e"); when one
// place is left, it is chosen. Without JavaScript the select, grouped by commune, arrondissement
// and quartier, works as it is.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(select) {
    if (select.dataset.placeFilterReady) {
      return;
    }
    select.dataset.placeFilterReady = "1";
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
      return { group: group, options: Array.prototype.slice.call(group.children) };
    });
    var field = document.createElement("div");
    field.className = "place-filter";
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = select.id + "-filtre";
    label.textContent = select.dataset.filterLabel;
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-filtre";
    input.autocomplete = "off";
    input.placeholder = select.dataset.filterPlaceholder;
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("p");
    status.className = "place-filter__status help";
    status.setAttribute("role", "status");
    field.appendChild(label);
    field.appendChild(input);
    field.appendChild(status);
    select.parentNode.insertBefore(field, select);

    input.addEventListener("input", function () {
      var words = fold(input.value.trim());
      var chosen = select.value; // kept in the list even when it does not match
      var kept = [];
      groups.forEach(function (entry) {
        entry.group.remove();
        entry.options.forEach(function (option) {
          option.remove();
          var matches = !words || fold(option.textContent).indexOf(words) !== -1;
          if (matches || (chosen && option.value === chosen)) {
            entry.group.appendChild(option);
          }
          if (matches) {
            kept.push(option);
          }
        });
        if (entry.group.children.length) {
          select.appendChild(entry.group);
        }
      });
      select.value = chosen;
      if (!words) {
        status.textContent = "";
        return;
      }
      if (kept.length === 1) {
        kept[0].selected = true;
      }
      var template = kept.length === 0 ? select.dataset.filterNone
        : kept.length === 1 ? select.dataset.filterOne : select.dataset.filterMany;
      status.textContent = template.replace("{count}", kept.length)
        .replace("{place}", kept.length ? kept[0].textContent : "");
    });
  }

  document.querySelectorAll("select[data-place-filter]").forEach(enhance);
})();
