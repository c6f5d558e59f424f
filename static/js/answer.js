// examsite: the question page's behaviour on top of plain HTML forms: autosave with retries,
// moving between questions with one GET, the k-of-n limit on multiple response, and keyboard
// shortcuts. With JavaScript off every control that leaves the page is a submit button of
// the answer form, so the answer is saved on the way out.
(function () {
  "use strict";

  var retryDelay = 1000;
  var retryTimer = null;
  // A move asked for while an answer was still being saved: {url, push}, made once the
  // save is acknowledged, so an answer is never left behind.
  var pendingMove = null;
  var moving = false;

  function answerForm() {
    return document.getElementById("answer-form");
  }

  function setStatus(state, text) {
    var el = document.getElementById("save-status");
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text;
  }

  function updateAnsweredCount() {
    var count = document.getElementById("answered-count");
    if (count) count.textContent = document.querySelectorAll(".navigator .answered").length;
  }

  function syncClock(xhr) {
    var clock = window.examsiteClock;
    if (clock && xhr && xhr.getResponseHeader("X-Time-Left") !== null) {
      clock.sync(parseInt(xhr.getResponseHeader("X-Time-Left"), 10));
    }
  }

  // ---- Autosave state and retries -----------------------------------------------------------
  function onSaved(evt) {
    var form = evt.detail.elt;
    var xhr = evt.detail.xhr;
    syncClock(xhr);
    if (evt.detail.successful) {
      retryDelay = 1000;
      form.dataset.dirty = "";
      updateAnsweredCount();
      if (pendingMove) {
        var move = pendingMove;
        pendingMove = null;
        moveTo(move.url, move.push);
      }
      return;
    }
    var status = xhr ? xhr.status : 0;
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // The server refused this answer (it says why); sending it again would not help, and
      // the candidate should read why before moving on.
      form.dataset.dirty = "";
      pendingMove = null;
      setStatus("refused", "Not saved: " + (xhr.responseText || "refused by the server."));
      return;
    }
    // Network failure or server error: keep the answer and try again, backing off. A move
    // asked for meanwhile waits for the save.
    form.dataset.dirty = "1";
    setStatus("retrying", "Not saved — retrying in " + Math.round(retryDelay / 1000) + " s…");
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () {
      setStatus("saving", "Saving…");
      htmx.trigger(form, "change");
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  // ---- Moving between questions -------------------------------------------------------------
  // The server already has the answer (autosave), so moving on is one GET of the next
  // question, of which only #question (and the bar's "Question n of m") is swapped; the
  // clock, the navigator and the page around them stay.
  function isQuestionUrl(url) {
    var prefix = document.querySelector("[data-exam]").dataset.prefix;
    return new URL(url, location.href).pathname.indexOf(prefix) === 0;
  }

  function moveTo(url, push) {
    var form = answerForm();
    if (form && form.dataset.dirty === "1") {
      pendingMove = { url: url, push: push };
      setStatus("saving", "Saving…");
      return;
    }
    if (!isQuestionUrl(url)) {
      window.location.assign(url);
      return;
    }
    if (moving) {
      pendingMove = { url: url, push: push };
      return;
    }
    moving = true;
    // The question being left takes no more changes: one made now would be saved from a
    // form about to be replaced, with nobody left to hear whether it was.
    var leaving = document.getElementById("question");
    if (leaving) leaving.inert = true;
    var exam = document.querySelector("[data-exam]");
    exam.dataset.moveUrl = url;
    exam.dataset.movePush = push ? "1" : "";
    htmx.ajax("GET", url, { source: exam, target: "#question", swap: "outerHTML" });
  }

  function onMoved(evt) {
    var exam = evt.detail.elt;
    var url = exam.dataset.moveUrl;
    var xhr = evt.detail.xhr;
    moving = false;
    if (!evt.detail.successful) {
      // htmx follows HX-Redirect itself (time is up); anything else is left to the browser.
      if (!xhr || !xhr.getResponseHeader("HX-Redirect")) window.location.assign(url);
      return;
    }
    syncClock(xhr);
    if (exam.dataset.movePush) history.pushState({ examsite: true }, "", url);
    var question = document.getElementById("question");
    var position = question.dataset.position;
    var clock = window.examsiteClock;
    if (clock && clock.reveal) clock.reveal(question.dataset.showClock === "1");
    document.querySelectorAll(".navigator .current").forEach(function (b) {
      b.classList.remove("current");
      b.removeAttribute("aria-current");
    });
    var here = document.querySelector("#nav-" + position + " button");
    if (here) {
      here.classList.add("current");
      here.setAttribute("aria-current", "page");
    }
    setupForm(answerForm());
    // Screen readers start reading at the new question, and Tab continues from there.
    question.querySelector("h1").focus();
    if (pendingMove) {
      var move = pendingMove;
      pendingMove = null;
      moveTo(move.url, move.push);
    }
  }

  function onAfterRequest(evt) {
    var elt = evt.detail.elt;
    if (!elt.matches) return;
    if (elt.matches("form[data-autosave]")) onSaved(evt);
    // htmx re-sends a request's events from a surviving ancestor when its element was
    // swapped away, so a move is recognised by its verb, not only by its element.
    else if (elt.matches("[data-exam]") && moving && evt.detail.requestConfig.verb === "get") {
      onMoved(evt);
    }
  }

  function onSubmit(evt) {
    var form = evt.target;
    if (form.id !== "answer-form") return;
    var button = evt.submitter;
    var go = button ? button.value : "stay";
    if (go === "confirm") {
      // Confirming posts the whole form, answer included: the page comes back with the key.
      form.dataset.submitting = "1";
      return;
    }
    evt.preventDefault();
    if (go === "stay") {
      // Enter in the form: the answer is saved as it changes, so only a pending one is sent.
      if (form.dataset.dirty === "1") htmx.trigger(form, "change");
      return;
    }
    var url = button.dataset.href;
    if (!url && /^[0-9]+$/.test(go)) {
      url = document.querySelector("[data-exam]").dataset.prefix + go + "/";
    }
    if (url) moveTo(url, true);
  }

  function onPopState(evt) {
    if (evt.state && evt.state.examsite) moveTo(location.href, false);
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
    var form = answerForm();
    if (!form) return;
    var key = evt.key.toLowerCase();
    var target = null;
    if (/^[1-9]$/.test(key)) {
      target = form.querySelector('input[name=option][data-key="' + key + '"]');
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
  // Run for the page's form and again for each question swapped in.
  function setupForm(form) {
    if (!form) return;
    // htmx binds a swapped-in form's triggers only when the swap settles (20 ms later); a
    // choice made in between would say "Saving…" and never be sent. Bind them now.
    htmx.process(form);
    form.querySelectorAll("fieldset[data-choose]").forEach(function (fs) {
      limitChoices(fs);
      fs.addEventListener("change", function () { limitChoices(fs); });
    });
    form.querySelectorAll(".nojs-only").forEach(function (n) { n.hidden = true; });
    if (!form.hasAttribute("data-autosave")) return;
    form.addEventListener("change", function () {
      form.dataset.dirty = "1";
      setStatus("saving", "Saving…");
    });
    // A choice made before this script ran (a fast click, or the browser restoring the
    // form on Back) differs from what the server rendered: save it now.
    var inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
    var changed = Array.prototype.some.call(inputs, function (i) {
      return i.checked !== i.defaultChecked;
    });
    if (changed) htmx.trigger(form, "change");
  }

  function init() {
    if (!document.querySelector("[data-exam]")) return;
    setupForm(answerForm());
    history.replaceState({ examsite: true }, "", location.href);
    document.addEventListener("submit", onSubmit);
    document.addEventListener("keydown", onKey);
    document.body.addEventListener("htmx:afterRequest", onAfterRequest);
    window.addEventListener("popstate", onPopState);
    window.addEventListener("beforeunload", function (evt) {
      var form = answerForm();
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
