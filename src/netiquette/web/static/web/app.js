// netiquette: keyboard triage in the inbox, copy-to-clipboard on the agenda, upload status.
// Written for this app; no third-party code. Loaded as a static file (no inline script).
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  // --- inbox: j/k move, letters press the matching button of the selected case -------------
  function setupInbox() {
    var list = document.getElementById("inbox");
    if (!list) { return; }
    var rows = Array.prototype.slice.call(list.querySelectorAll("li.case"));
    if (!rows.length) { return; }
    var key = "netiquette.inbox.selected";
    var index = parseInt(sessionStorage.getItem(key) || "0", 10);
    if (isNaN(index) || index < 0) { index = 0; }
    if (index >= rows.length) { index = rows.length - 1; }

    function select(i) {
      if (i < 0 || i >= rows.length) { return; }
      rows[index].classList.remove("selected");
      index = i;
      rows[index].classList.add("selected");
      rows[index].focus({ preventScroll: true });
      rows[index].scrollIntoView({ block: "nearest" });
      sessionStorage.setItem(key, String(index));
    }
    rows.forEach(function (row, i) {
      row.addEventListener("click", function () { if (i !== index) { select(i); } });
    });
    select(index);

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
      var k = event.key;
      if (k === "j" || k === "ArrowDown") { select(index + 1); event.preventDefault(); return; }
      if (k === "k" || k === "ArrowUp") { select(index - 1); event.preventDefault(); return; }
      if (k === "Enter") { k = "o"; }
      var target = rows[index].querySelector('[data-key="' + k + '"]');
      if (!target || target.disabled) { return; }
      event.preventDefault();
      target.click();
    });
  }

  // --- agenda: copy a draft ---------------------------------------------------------------
  function setupCopy() {
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var area = document.getElementById(button.getAttribute("data-copy"));
        var status = button.parentNode.querySelector(".copied");
        if (!area) { return; }
        function done(ok) { if (status) { status.textContent = ok ? "Copied." : "Select and copy by hand."; } }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(area.value).then(function () { done(true); }, function () {
            area.select(); done(document.execCommand && document.execCommand("copy"));
          });
        } else {
          area.select(); done(document.execCommand && document.execCommand("copy"));
        }
      });
    });
  }

  // --- import: show that the upload is under way ------------------------------------------
  function setupImport() {
    var form = document.getElementById("import-form");
    if (!form) { return; }
    form.addEventListener("submit", function () {
      var bar = document.getElementById("import-progress");
      var status = document.getElementById("import-status");
      if (bar) { bar.hidden = false; }
      if (status) { status.textContent = "Uploading and importing…"; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupInbox();
    setupCopy();
    setupImport();
  });
}());
