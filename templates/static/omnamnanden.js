// Mentions while writing a post: typing "@" and the start of a member's id in a post
// field lists matching members (/api/v1/medlemmar/forslag) below it; choosing one (click,
// or arrow keys and Enter) puts "@id " in the text. Without JavaScript "@id" is typed by
// hand and works the same.
(function () {
  "use strict";
  function enhance(area) {
    var list = document.createElement("ul");
    list.className = "omnamnanden";
    list.id = area.id + "-omnamnanden";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Medlemmar att nämna");
    list.hidden = true;
    area.parentNode.insertBefore(list, area.nextSibling);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    area.parentNode.insertBefore(status, list.nextSibling);
    var asked = "";
    var active = -1;
    function typedId() {
      var before = area.value.slice(0, area.selectionStart);
      var match = /(^|\s)@([a-z0-9-]{1,40})$/i.exec(before);
      return match ? match[2].toLowerCase() : null;
    }
    function close() {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }
    function choose(id) {
      var at = area.selectionStart;
      var before = area.value.slice(0, at).replace(/@[a-z0-9-]*$/i, "@" + id + " ");
      area.value = before + area.value.slice(at);
      area.selectionStart = area.selectionEnd = before.length;
      close();
      area.focus();
    }
    function mark(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) area.setAttribute("aria-activedescendant", items[index].id);
    }
    area.addEventListener("input", function () {
      var id = typedId();
      if (!id) { close(); asked = ""; return; }
      if (id === asked) return;
      asked = id;
      fetch("/api/v1/medlemmar/forslag?q=" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { medlemmar: [] }; })
        .then(function (data) {
          if (asked !== id) return;
          var members = data.medlemmar || [];
          list.replaceChildren();
          members.forEach(function (m, i) {
            var li = document.createElement("li");
            li.id = list.id + "-" + i;
            li.setAttribute("role", "option");
            li.textContent = m.namn + " (@" + m.id + ")";
            li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(m.id); });
            li.dataset.id = m.id;
            list.appendChild(li);
          });
          list.hidden = members.length === 0;
          status.textContent = members.length ? members.length + " medlemmar att nämna" : "";
          if (members.length) mark(0);
        })
        .catch(function () {});
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      var items = list.querySelectorAll("li");
      if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && items[active]) { event.preventDefault(); choose(items[active].dataset.id); }
      else if (event.key === "Escape") { close(); }
    });
    area.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var areas = document.querySelectorAll('textarea[name="inlagg"]');
    for (var i = 0; i < areas.length; i++) enhance(areas[i]);
  });
})();
