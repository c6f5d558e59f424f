// examsite: the question page's behaviour on top of plain HTML forms: autosave with retries,
// the k-of-n limit on multiple response, and keyboard shortcuts. With JavaScript off the
// forms still save and navigate.
(function () {
  "use strict";

  // ---- Autosave state and retries -----------------------------------------------------------
  var retryDelay = 1000;
  var retryTimer = null;

  function setStatus(state, text) {
    var el = document.getElementById("save-status");
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text;
  }

  function updateAnsweredCount() {
    var count = document.getElementById("answered-count");
    if (count) count.textContent = document.querySelectorAll(".navigator a.answered").length;
  }

  function onAfterRequest(evt) {
    var form = evt.detail.elt;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    var xhr = evt.detail.xhr;
    var clock = window.examsiteClock;
    if (clock && xhr && xhr.getResponseHeader("X-Time-Left") !== null) {
      clock.sync(parseInt(xhr.getResponseHeader("X-Time-Left"), 10));
    }
    if (evt.detail.successful) {
      retryDelay = 1000;
      form.dataset.dirty = "";
      updateAnsweredCount();
      return;
    }
    var status = xhr ? xhr.status : 0;
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // The server refused this answer (it says why); sending it again would not help.
      form.dataset.dirty = "";
      setStatus("refused", "Not saved: " + (xhr.responseText || "refused by the server."));
      return;
    }
    // Network failure or server error: keep the answer and try again, backing off.
    form.dataset.dirty = "1";
    setStatus("retrying", "Not saved — retrying in " + Math.round(retryDelay / 1000) + " s…");
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () {
      setStatus("saving", "Saving…");
      htmx.trigger(form, "change");
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  // ---- Multiple response: no more than k boxes ---------------------------------------------
  function limitChoices(fieldset) {
    var k = parseInt(fieldset.dataset.choose, 10);
    if (!k) return;
    var boxes = fieldset.querySelectorAll("input[type=checkbox][name=option]");
    var checked = 0;
    boxes.forEach(function (b) { if (b.checked) checked++; });
    boxes.forEach(function (b) { b.disabled = !b.checked && checked >= k; });
  }

  // ---- Keyboard shortcuts ------------------------------------------------------------------
  function typingIn(target) {
    if (!target) return false;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return true;
    return tag === "INPUT" && !/^(radio|checkbox|button|submit)$/i.test(target.type);
  }

  function onKey(evt) {
    if (evt.ctrlKey || evt.metaKey || evt.altKey || typingIn(evt.target)) return;
    var form = document.querySelector("form.answer");
    if (!form) return;
    var key = evt.key.toLowerCase();
    var target = null;
    if (/^[1-9]$/.test(key)) {
      target = form.querySelector('input[name=option][data-key="' + key + '"]');
      if (target && target.disabled) target = null;
    } else if (key === "f") {
      target = form.querySelector("input[data-flag]");
    } else if (key === "u") {
      target = form.querySelector("input[data-unsure]");
    } else if (key === "n" || key === "p") {
      var button = form.querySelector('[data-nav="' + (key === "n" ? "next" : "prev") + '"]');
      if (button && !button.disabled) {
        evt.preventDefault();
        button.click();
      }
      return;
    }
    if (target && target.disabled) target = null;
    if (target) {
      evt.preventDefault();
      if (target.type === "radio" && target.checked) return;
      target.click();
      target.focus();
    }
  }

  // ---- Wiring ------------------------------------------------------------------------------
  function init() {
    document.querySelectorAll("fieldset[data-choose]").forEach(function (fs) {
      limitChoices(fs);
      fs.addEventListener("change", function () { limitChoices(fs); });
    });
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      form.addEventListener("change", function () {
        form.dataset.dirty = "1";
        setStatus("saving", "Saving…");
      });
      // Navigating with Previous/Next posts the whole form, which saves it too.
      form.addEventListener("submit", function () { form.dataset.submitting = "1"; });
      // A choice made before this script ran (a fast click, or the browser restoring the
      // form on Back) differs from what the server rendered: save it now.
      var inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
      var changed = Array.prototype.some.call(inputs, function (i) {
        return i.checked !== i.defaultChecked;
      });
      if (changed) htmx.trigger(form, "change");
    });
    document.querySelectorAll(".nojs-only").forEach(function (n) { n.hidden = true; });
    document.addEventListener("keydown", onKey);
    document.body.addEventListener("htmx:afterRequest", onAfterRequest);
    window.addEventListener("beforeunload", function (evt) {
      var form = document.querySelector("form[data-autosave]");
      if (form && form.dataset.dirty === "1" && !form.dataset.submitting) {
        evt.preventDefault();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
