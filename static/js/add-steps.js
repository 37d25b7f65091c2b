// The add form in steps, enhanced (everything works without it):
// - a filter box above each group of checkboxes (needs, languages): typing "alim" shows the
//   matching boxes and opens their groups; the labels come from the page (data-filter-label);
// - the commune chosen from the postcode: one commune is selected at once, several narrow the
//   list to them (the server does the same when the form is sent without a commune).
(function () {
  "use strict";

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  document.querySelectorAll(".choice-groups[data-filter-label]").forEach(function (fieldset, index) {
    var groups = Array.prototype.slice.call(fieldset.querySelectorAll(".choice-group"));
    var wasOpen = groups.map(function (group) { return group.open; });
    var wrapper = document.createElement("div");
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = "choice-filter-" + index;
    input.className = "choice-filter";
    input.autocomplete = "off";
    label.htmlFor = input.id;
    label.textContent = fieldset.getAttribute("data-filter-label");
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    var legend = fieldset.querySelector("legend");
    fieldset.insertBefore(wrapper, legend.nextSibling);
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      groups.forEach(function (group, i) {
        var groupMatches = query && fold(group.querySelector("summary").textContent).indexOf(query) !== -1;
        var shown = 0;
        group.querySelectorAll("li").forEach(function (item) {
          var match = !query || groupMatches || fold(item.textContent).indexOf(query) !== -1;
          item.hidden = !match;
          shown += match ? 1 : 0;
        });
        group.hidden = shown === 0;
        group.open = query ? shown > 0 : wasOpen[i];
      });
    });
  });

  var data = document.getElementById("postcode-areas");
  if (!data) { return; }
  var byPostcode = JSON.parse(data.textContent);
  document.querySelectorAll(".postcode-area").forEach(function (block) {
    var postcode = block.querySelector("input[name$='-postcode']");
    var select = block.querySelector("select[name$='-area']");
    if (!postcode || !select) { return; }
    var options = Array.prototype.slice.call(select.options);
    function update() {
      var choices = byPostcode[postcode.value.trim()] || [];
      var slugs = choices.map(function (choice) { return choice[0]; });
      options.forEach(function (option) {
        option.hidden = choices.length > 1 && option.value !== "" && slugs.indexOf(option.value) === -1;
      });
      if (choices.length === 1) {
        select.value = slugs[0];
      } else if (choices.length > 1 && slugs.indexOf(select.value) === -1) {
        select.value = "";
      }
    }
    postcode.addEventListener("input", update);
    if (postcode.value) { update(); }
  });
})();
