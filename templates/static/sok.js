// Search-as-you-type suggestions for the search fields: an enhancement only; without this
// script the forms work exactly the same. Fills a <datalist> from /api/v1/forslag.
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-forslag]");
  Array.prototype.forEach.call(fields, function (input, n) {
    var list = document.createElement("datalist");
    list.id = "forslag-" + n;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value;
        var words = typed.split(/\s+/);
        var word = words.pop();
        if (word.length < 2 || typed === last) { return; }
        last = typed;
        fetch("/api/v1/forslag?q=" + encodeURIComponent(word), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { forslag: [] }; })
          .then(function (data) {
            if (input.value !== typed) { return; }
            var start = words.length ? words.join(" ") + " " : "";
            list.textContent = "";
            (data.forslag || []).slice(0, 8).forEach(function (s) {
              var option = document.createElement("option");
              option.value = start + s;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
  });
})();
