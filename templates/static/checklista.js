// Checklists remember their ticks in this browser (localStorage) and get a print button.
// An enhancement only: without it the checkboxes still work and the page still prints.
(function () {
  "use strict";
  var lists = document.querySelectorAll("ul.checklista[data-lista]");
  Array.prototype.forEach.call(lists, function (list) {
    var key = "hallbar:checklista:" + list.getAttribute("data-lista");
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { saved = {}; }
    var boxes = list.querySelectorAll("input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (saved[box.value]) { box.checked = true; }
      box.addEventListener("change", function () {
        saved[box.value] = box.checked;
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* storage full or blocked */ }
      });
    });
  });
  var actions = document.getElementById("checklista-atgarder");
  if (actions) {
    var print = document.createElement("button");
    print.type = "button";
    print.textContent = "Skriv ut checklistan";
    print.addEventListener("click", function () { window.print(); });
    actions.appendChild(print);
  }
})();
