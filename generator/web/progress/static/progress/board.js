// vanban web: the progress board's copy button, and a notice when units report while the page is open.
// Served by the application (CSP: no inline script, no CDN); the board works without it.
(function () {
  "use strict";

  document.querySelectorAll("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var area = document.getElementById(b.dataset.target);
      area.select();
      var done = function () { b.textContent = b.dataset.done; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });

  var news = document.getElementById("board-news");
  if (!news) { return; }
  var first = null;
  function poll() {
    fetch(news.dataset.countsUrl, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c) { return; }
        var key = c.rows + "/" + c.submitted + "/" + c.stamp;
        if (first === null) { first = key; } else if (key !== first) { news.hidden = false; }
      })
      .catch(function () { /* try again at the next tick */ });
  }
  poll();
  setInterval(poll, 1000 * (parseInt(news.dataset.interval, 10) || 30));
})();
