// Live thread pages: a list marked data-live-trad="<thread id>" listens to /handelser.
// A new post ("inlagg") reloads the list from the page's own address and says so in a
// polite live region; the unread count ("antal") updates the header. Without JavaScript
// or EventSource the page works as before (reload to see new posts).
(function () {
  "use strict";
  function setCount(count) {
    var link = document.querySelector('a[href="/notiser"]');
    if (!link) return;
    var badge = link.querySelector(".olasta");
    var hidden = link.querySelector(".visually-hidden");
    if (count > 0) {
      if (!badge) {
        link.appendChild(document.createTextNode(" "));
        badge = document.createElement("span");
        badge.className = "olasta";
        link.appendChild(badge);
        hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " olästa";
        link.appendChild(hidden);
      }
      badge.textContent = String(count);
    } else {
      if (badge) badge.remove();
      if (hidden) hidden.remove();
    }
  }
  function start() {
    var list = document.querySelector("[data-live-trad]");
    if (!list || !window.EventSource || !window.fetch) return;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.parentNode.insertBefore(status, list.nextSibling);
    var url = "/handelser?trad=" + encodeURIComponent(list.getAttribute("data-live-trad"));
    var source = new EventSource(url);
    source.addEventListener("antal", function (event) {
      setCount(parseInt(event.data, 10) || 0);
    });
    source.addEventListener("inlagg", function () {
      fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-trad]");
          if (!fresh) return;
          list.innerHTML = fresh.innerHTML;
          status.textContent = "Nytt inlägg i tråden.";
        })
        .catch(function () {});
    });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
