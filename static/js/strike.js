// examsite: crossing out options on the question page, as on scratch paper. Each option's
// cross-out box is an ordinary form control, saved with the answer like a flag (and posted
// with the form when JavaScript is off); this file adds the key: x, then the option's number.
(function () {
  "use strict";

  var armed = false;
  var timer = null;

  function typingIn(target) {
    if (!target) return false;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return true;
    return tag === "INPUT" && !/^(radio|checkbox|button|submit)$/i.test(target.type);
  }

  function say(text) {
    var el = document.getElementById("strike-status");
    if (el) el.textContent = text;
  }

  function disarm() {
    armed = false;
    window.clearTimeout(timer);
    say("");
  }

  function onKey(evt) {
    if (evt.ctrlKey || evt.metaKey || evt.altKey || typingIn(evt.target)) return;
    var key = evt.key.toLowerCase();
    if (armed) {
      disarm();
      if (!/^[1-9]$/.test(key)) return;  // any other key does what it always does
      // This digit crosses out: it must not also choose the option (answer.js listens
      // on the document, after this capturing listener on the window).
      evt.preventDefault();
      evt.stopImmediatePropagation();
      var box = document.querySelector('form.answer input[name=struck][data-strike="' + key + '"]');
      if (box && !box.disabled) box.click();
      return;
    }
    if (key === "x" && document.querySelector("form.answer input[name=struck]:not([disabled])")) {
      evt.preventDefault();
      armed = true;
      say("Cross out which option? Press its number.");
      timer = window.setTimeout(disarm, 4000);
    }
  }

  function init() {
    var keys = document.querySelector("form.answer .keys");
    if (!keys || !document.querySelector("form.answer input[name=struck]")) return;
    var status = document.createElement("p");
    status.id = "strike-status";
    status.className = "strike-status";
    status.setAttribute("role", "status");
    keys.parentNode.insertBefore(status, keys.nextSibling);
    window.addEventListener("keydown", onKey, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
