// vanban web: live preview and the task table. Served by the application; no inline script (CSP).
(function () {
  "use strict";

  document.querySelectorAll("select.autosubmit").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
  document.querySelectorAll("button.print").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  var form = document.getElementById("plan-form") || document.getElementById("kind-form");
  if (!form) { return; }
  var target = document.getElementById("preview");
  var timer = null, seq = 0;

  function refresh() {
    var mine = ++seq;
    // URL-encoded, not multipart: the server reads a plan of a few hundred fields several times faster
    // (the editors hold no file input).
    fetch(form.dataset.previewUrl, {method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
                                    headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && mine === seq) { target.innerHTML = html; } })
      .catch(function () { /* the preview waits for the next keystroke */ });
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
  form.addEventListener("input", later);

  // The generated form's lists (signers, recipients, rows of records): add from a <template>, remove in place.
  form.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) { return; }
    if (b.classList.contains("add-item")) {
      var list = document.getElementById(b.dataset.target);
      if (b.dataset.max && Number(b.dataset.max) > 0 && list.children.length >= Number(b.dataset.max)) { return; }
      var tpl = document.getElementById(b.dataset.template);
      var item = tpl.content.firstElementChild.cloneNode(true);
      list.appendChild(item);
      var first = item.querySelector("input:not([type=hidden]), select");
      if (first) { first.focus(); }
      later();
    } else if (b.classList.contains("item-remove")) {
      var next = b.closest(".field").querySelector("button.add-item");
      b.closest(".item").remove();
      if (next) { next.focus(); }
      later();
    }
  });

  var body = document.querySelector("#tasks tbody");
  if (!body) { return; }
  function add(kind, after) {
    var tpl = document.getElementById("row-" + kind);
    var row = tpl.content.firstElementChild.cloneNode(true);
    if (after) { after.after(row); } else { body.appendChild(row); }
    var first = row.querySelector("input:not([type=hidden]), textarea");
    if (first) { first.focus(); }
    later();
  }
  document.querySelectorAll("button.add-row").forEach(function (b) {
    b.addEventListener("click", function () { add(b.dataset.kind, null); });
  });
  body.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) { return; }
    var row = b.closest("tr");
    if (b.classList.contains("row-remove")) { row.remove(); }
    else if (b.classList.contains("row-up") && row.previousElementSibling) { row.previousElementSibling.before(row); b.focus(); }
    else if (b.classList.contains("row-down") && row.nextElementSibling) { row.nextElementSibling.after(row); b.focus(); }
    else { return; }
    later();
  });
})();
