/* Search-as-you-type for the record filters of the list pages (partner, event, party, ...).
 *
 * Each <span class="lookup" data-lookup-url="..."> holds the filter's own input, which carries the
 * record's id; without JavaScript that input is typed into directly. Here it becomes hidden and a
 * text box (an ARIA 1.2 combobox) takes its place: typing asks the lookup endpoint (?q=, JSON
 * {"results": [{"id", "label"}]}) for up to 20 records, and choosing one (click, or arrows and
 * Enter) puts its id back into the form's input. Clearing the text clears the filter.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var counter = 0;

  function enhance(wrapper) {
    var idInput = wrapper.querySelector("input");
    var selected = wrapper.querySelector(".lookup-selected");
    if (!idInput || wrapper.dataset.lookupReady) return;
    wrapper.dataset.lookupReady = "1";
    counter += 1;

    var listId = "lookup-list-" + counter;
    var box = document.createElement("input");
    box.type = "text";
    box.className = "lookup-box";
    box.autocomplete = "off";
    if (wrapper.dataset.lookupPlaceholder) box.placeholder = wrapper.dataset.lookupPlaceholder;
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", listId);
    var describedBy = idInput.getAttribute("aria-describedby");
    if (describedBy) box.setAttribute("aria-describedby", describedBy);
    if (idInput.getAttribute("aria-invalid")) box.setAttribute("aria-invalid", idInput.getAttribute("aria-invalid"));
    box.value = selected ? selected.textContent.trim() : idInput.value;

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "lookup-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;

    // The label now names the text box; the id input keeps its name and value for the form.
    var label = idInput.id ? document.querySelector('label[for="' + idInput.id + '"]') : null;
    if (label) {
      box.id = idInput.id + "_search";
      label.htmlFor = box.id;
      list.setAttribute("aria-label", label.textContent.trim());
    }
    idInput.type = "hidden";
    if (selected) selected.hidden = true;
    wrapper.appendChild(box);
    wrapper.appendChild(list);

    var timer = null;
    var active = -1;
    var results = [];
    var lastQuery = null;

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        box.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var record = results[index];
      if (!record) return;
      idInput.value = String(record.id);
      box.value = record.label;
      close();
    }

    function show(records) {
      results = records;
      list.textContent = "";
      records.forEach(function (record, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = record.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text box
          choose(index);
        });
        list.appendChild(option);
      });
      if (!records.length) {
        var none = document.createElement("li");
        none.className = "lookup-none";
        none.textContent = wrapper.dataset.lookupNone || "—";
        list.appendChild(none);
      }
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var query = box.value.trim();
      if (query === lastQuery && !list.hidden) return;
      lastQuery = query;
      var url = wrapper.dataset.lookupUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (box.value.trim() === query && document.activeElement === box) show(data.results || []);
        })
        .catch(function () {
          close();
        });
    }

    box.addEventListener("input", function () {
      idInput.value = ""; // typed text is not a choice until a suggestion is picked
      clearTimeout(timer);
      if (!box.value.trim()) {
        close();
        return;
      }
      timer = setTimeout(search, DELAY_MS);
    });
    box.addEventListener("keydown", function (event) {
      var count = list.hidden ? 0 : results.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) search();
        else if (count) highlight((active + 1) % count);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (count) highlight(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); // choose, do not submit yet
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    box.addEventListener("blur", close);
  }

  function start() {
    var wrappers = document.querySelectorAll(".lookup[data-lookup-url]");
    for (var i = 0; i < wrappers.length; i++) enhance(wrappers[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
