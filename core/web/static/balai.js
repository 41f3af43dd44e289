// Balai: small enhancements only; every form works without this file.
(function () {
  "use strict";
  // Confirm dialogs: forms (or buttons) with data-confirm ask first.
  document.addEventListener("submit", function (ev) {
    var f = ev.target, b = ev.submitter;
    var msg = (b && b.getAttribute("data-confirm")) || f.getAttribute("data-confirm");
    if (msg) {
      if (!window.confirm(msg)) { ev.preventDefault(); return; }
      // Asked already: sdk/ui's handler skips its no-script confirmation
      // step when the form comes with confirmed=1.
      if (!f.querySelector('input[name="confirmed"]')) {
        var c = document.createElement("input");
        c.type = "hidden"; c.name = "confirmed"; c.value = "1";
        f.appendChild(c);
      }
    }
    // Upload progress for forms sdk/ui marks: the form is, or holds, a
    // .b-upload and holds a <progress class="b-progress">.
    if (!(f.classList.contains("b-upload") || f.querySelector(".b-upload")) || !window.XMLHttpRequest || !window.FormData) return;
    var bar = f.querySelector("progress.b-progress");
    if (!bar) return;
    ev.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open((f.getAttribute("method") || "post").toUpperCase(), f.action);
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
    xhr.onload = function () {
      // Follow the server's answer like a normal submission would.
      if (xhr.responseURL && xhr.responseURL !== window.location.href && xhr.status < 400) { window.location = xhr.responseURL; return; }
      document.open(); document.write(xhr.responseText); document.close();
    };
    xhr.onerror = function () { f.submit(); };
    bar.hidden = false;
    xhr.send(new FormData(f));
  });
})();
