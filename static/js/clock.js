// examsite: the countdown on pages of a timed sitting. Loaded only where a clock is shown.
(function () {
  "use strict";

  // ---- Countdown -------------------------------------------------------------------------
  // The server states the seconds left on every page and in an X-Time-Left header on every
  // htmx response. The browser only counts down from that figure on a monotonic clock, so
  // a wrong or changed system clock on the candidate's machine cannot move the deadline.

  function fmt(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var s = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  function Clock(el) {
    this.el = el;
    this.value = el.querySelector(".clock-value");
    this.alert = document.getElementById("clock-alert");
    // The thresholds come from the server (exams/pacing.py), largest first.
    this.warnings = (el.dataset.warnings || "").split(",").map(Number).filter(Boolean);
    this.revealAt = this.warnings[0] || 0;
    this.announced = {};
    this.sync(parseInt(el.dataset.secondsLeft, 10));
    // Warnings already passed at load are said once by the server-rendered text.
    var left = this.left();
    for (var i = 0; i < this.warnings.length; i++) {
      if (left <= this.warnings[i]) this.announced[this.warnings[i]] = true;
    }
    var self = this;
    this.timer = window.setInterval(function () { self.tick(); }, 250);
    this.tick();
  }
  Clock.prototype.sync = function (secondsLeft) {
    if (isNaN(secondsLeft)) return;
    this.end = performance.now() + secondsLeft * 1000;
  };
  // A question swapped in says whether it shows the clock (a hidden clock shows at gates);
  // inside the warning window it shows whatever the question says.
  Clock.prototype.reveal = function (shown) {
    this.el.hidden = !shown && this.left() > this.revealAt;
  };
  Clock.prototype.left = function () {
    return (this.end - performance.now()) / 1000;
  };
  Clock.prototype.tick = function () {
    var left = this.left();
    this.value.textContent = fmt(Math.ceil(left));
    if (left <= this.revealAt && this.el.hidden) this.el.hidden = false;
    var last = this.warnings[this.warnings.length - 1];
    this.el.classList.toggle("warn", left <= this.revealAt);
    this.el.classList.toggle("urgent", left <= last);
    for (var i = 0; i < this.warnings.length; i++) {
      var mark = this.warnings[i];
      if (left <= mark && !this.announced[mark]) {
        this.announced[mark] = true;
        if (this.alert) this.alert.textContent = Math.round(mark / 60) + " minutes left.";
      }
    }
    if (left <= 0) {
      window.clearInterval(this.timer);
      this.value.textContent = "0:00";
      if (this.alert) this.alert.textContent = "Time is up.";
      // The server finishes the attempt and shows the results on the next request.
      window.setTimeout(function () { window.location.reload(); }, 1000);
    }
  };

  function init() {
    var el = document.getElementById("clock");
    // answer.js re-syncs this clock from the X-Time-Left header of every save and move.
    if (el && el.dataset.secondsLeft !== undefined) window.examsiteClock = new Clock(el);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
