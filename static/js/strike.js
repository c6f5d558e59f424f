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

  // A polite live region under the keys hint; made again if the form was swapped out.
  function statusEl() {
    var el = document.getElementById("strike-status");
    var keys = document.querySelector("form.answer .keys");
    if (el || !keys) return el;
    el = document.createElement("p");
    el.id = "strike-status";
    el.className = "strike-status";
    el.setAttribute("role", "status");
    keys.parentNode.insertBefore(el, keys.nextSibling);
    return el;
  }

  function say(text) {
    var el = statusEl();
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
      // This digit crosses out: it must not also choose the option.
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
    statusEl();
    // On the window, capturing: it sees a key before answer.js's listener on the document.
    // It reads the page at each key, so it keeps working when htmx swaps the question.
    window.addEventListener("keydown", onKey, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
