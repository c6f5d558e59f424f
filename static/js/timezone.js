// Tells the server the browser's time zone, so times are shown in it (accounts.zones).
// Sent when none is stored, or when the stored one was detected and the browser has
// moved; a zone the candidate chose on the settings page is left alone.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.tzUrl;
  if (!url) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  var stored = body.dataset.tzStored || "";
  if (!zone || zone === stored || (stored && body.dataset.tzDetected !== "1")) return;
  // Once per browser session and zone: a zone the server refuses is not sent on every page.
  var key = "examsite-time-zone-sent:" + zone;
  try {
    if (window.sessionStorage.getItem(key)) return;
    window.sessionStorage.setItem(key, "1");
  } catch (e) {
    /* storage blocked: send anyway */
  }
  var token = "";
  try {
    token = JSON.parse(body.getAttribute("hx-headers") || "{}")["x-csrftoken"] || "";
  } catch (e) {
    return;
  }
  var data = new URLSearchParams();
  data.set("time_zone", zone);
  data.set("detected", "1");
  fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": token },
    body: data,
  }).then(function (response) {
    if (response.ok) body.dataset.tzStored = zone;
  }).catch(function () {
    /* offline: the next page tries again */
    try { window.sessionStorage.removeItem(key); } catch (e) { /* ignore */ }
  });
})();
