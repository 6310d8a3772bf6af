/* progress collections: figure rows added and removed; the unit's report saved as a draft while typing. */
(function () {
  "use strict";
  var add = document.getElementById("add-figure");
  var table = document.getElementById("figures");
  if (add && table) {
    var tpl = document.getElementById("figure-row");
    add.addEventListener("click", function () {
      var row = tpl.content.firstElementChild.cloneNode(true);
      table.tBodies[0].appendChild(row);
      row.querySelector("input[name=figure-label]").focus();
    });
    table.addEventListener("click", function (e) {
      if (e.target.classList.contains("remove-row")) { e.target.closest("tr").remove(); }
    });
  }
  var form = document.getElementById("report-form");
  if (!form || !form.dataset.autosave) { return; }
  var status = document.getElementById("autosave");
  var timer = null, dirty = false, sending = false;
  function save() {
    if (sending) { timer = setTimeout(save, 1000); return; }
    sending = true; dirty = false;
    var data = new FormData(form);
    data.set("action", "save");
    fetch(window.location.pathname, { method: "POST", body: data, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (j) { if (status) { status.textContent = j.saved ? status.dataset.saved + " " + j.saved : (j.error || ""); } })
      .catch(function () { dirty = true; })
      .then(function () { sending = false; });
  }
  if (status) { status.dataset.saved = form.dataset.savedText || "✓"; }
  form.addEventListener("input", function () { dirty = true; clearTimeout(timer); timer = setTimeout(save, 1500); });
  window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); } });
  form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); });
})();
