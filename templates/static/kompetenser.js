// Suggestions while typing competences and interests: the part after the last comma is
// looked up in the vocabulary (/api/v1/kompetenser) and offered in the field's datalist.
// Without JavaScript the field is a plain comma-separated list.
(function () {
  "use strict";
  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value;
        var cut = value.lastIndexOf(",");
        var before = cut < 0 ? "" : value.slice(0, cut + 1) + " ";
        var part = value.slice(cut + 1).trim();
        if (part === asked) return;
        asked = part;
        if (part.length === 0) {
          list.replaceChildren();
          return;
        }
        fetch("/api/v1/kompetenser?q=" + encodeURIComponent(part), {
          headers: { Accept: "application/json" },
        })
          .then(function (r) { return r.ok ? r.json() : { kompetenser: [] }; })
          .then(function (data) {
            if (asked !== part) return;
            var options = (data.kompetenser || []).map(function (name) {
              var option = document.createElement("option");
              option.value = before + name;
              return option;
            });
            list.replaceChildren.apply(list, options);
          })
          .catch(function () {});
      }, 150);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-kompetensforslag]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  });
})();
