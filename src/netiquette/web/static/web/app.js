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

  // --- import: upload with a progress bar, then the summary -------------------------------
  // Without JavaScript the form posts as usual; with it, the upload's progress shows on the
  // bar, then "Importing…" while the server works, then the summary (or the error) appears
  // in place, taken from the page the server answers with.
  function setupImport() {
    var form = document.getElementById("import-form");
    if (!form) { return; }
    var bar = document.getElementById("import-progress");
    var status = document.getElementById("import-status");
    function say(text) { if (status) { status.textContent = text; } }
    function swap(fresh, selector, anchor, where) {
      var old = document.querySelector(selector);
      var made = fresh.querySelector(selector);
      if (old) { old.parentNode.removeChild(old); }
      if (made) { anchor.insertAdjacentElement(where, document.importNode(made, true)); }
      return made;
    }
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
        say("Uploading and importing…");
        return;
      }
      event.preventDefault();
      var button = form.querySelector("button");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      if (bar) { bar.hidden = false; bar.max = 100; bar.value = 0; }
      if (button) { button.disabled = true; }
      form.setAttribute("aria-busy", "true");
      say("Uploading…");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !bar) { return; }
        bar.value = Math.round(100 * e.loaded / e.total);
        say("Uploading… " + bar.value + "%");
      });
      xhr.upload.addEventListener("load", function () {
        if (bar) { bar.removeAttribute("value"); }  // indeterminate while the server imports
        say("Uploaded. Importing…");
      });
      function finish(text) {
        if (button) { button.disabled = false; }
        form.removeAttribute("aria-busy");
        say(text);
      }
      xhr.addEventListener("load", function () {
        var fresh = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var main = document.querySelector("main");
        swap(fresh, "ul.messages", main, "beforebegin");
        var summary = swap(fresh, "#import-summary", form, "afterend");
        if (bar) { bar.value = summary ? 100 : 0; }
        if (xhr.status >= 400) {
          finish("The server refused the upload (" + xhr.status + ").");
        } else {
          finish(summary ? "Imported." : "Nothing imported: see the message above.");
        }
      });
      xhr.addEventListener("error", function () {
        if (bar) { bar.value = 0; }
        finish("The upload failed: check that netiquette is still running and try again.");
      });
      xhr.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupInbox();
    setupCopy();
    setupImport();
  });
}());
