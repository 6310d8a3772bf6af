// vanban web: "Xem trang in" while the page worker prepares the pages: poll the status, reload when ready.
// Without JavaScript the page's own refresh does the same, more slowly.
(function () {
  "use strict";
  var box = document.getElementById("pages-wait");
  if (!box) { return; }
  var url = box.dataset.statusUrl, tries = 0;
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && s.state !== "pending") { window.location.reload(); return; }
        if (++tries < 240) { setTimeout(poll, 500); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
