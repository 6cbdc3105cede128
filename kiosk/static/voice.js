/* SafeReport kiosk: say it instead of typing (issue 17.1).
   - Shown only where there is MediaRecorder and a microphone; otherwise typing alone.
   - Record, stop, listen back, record again, delete; at most data-voice-max-seconds.
   - The recording is posted into the person's draft at once (sealed on the server); the
     copy here lives in memory only, and is dropped on leaving, on a wipe and on pagehide.
   - Quick exit and the inactivity wipe ("kiosk:leaving") stop a recording and drop it.
   - Recording is not touching: after the idle time "Are you still there?" is asked as on
     any screen, and "I need more time" carries on recording; the wipe discards it.
   No autoplay: sound plays only when the person touches "Listen to my message", through
   kiosk.js's Listen, which asks for headphones first. */
(function () {
  "use strict";

  var panel = document.querySelector("[data-voice]");
  if (!panel || !window.MediaRecorder || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia || !navigator.mediaDevices.enumerateDevices) {
    return;
  }
  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"];
  var mime = TYPES.filter(function (type) { return MediaRecorder.isTypeSupported(type); })[0];
  if (!mime) {
    return;
  }
  var maxSeconds = parseInt(panel.getAttribute("data-voice-max-seconds"), 10) || 300;
  var token = panel.querySelector("input[name=csrf_token]").value;
  var el = function (name) { return panel.querySelector("[data-voice-" + name + "]"); };
  var recorder = null;
  var stream = null;
  var chunks = [];
  var clip = null; // the last recording, in memory only
  var startedAt = 0;
  var ticker = null;
  var uploading = null;
  var whenStopped = null;
  var dropped = false;

  function show(names) {
    ["record", "stop", "play", "again", "delete", "recording", "saved"].forEach(function (name) {
      el(name).hidden = names.indexOf(name) < 0;
    });
  }

  function problem(text) {
    var box = el("problem");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function releaseMicrophone() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    window.clearInterval(ticker);
  }

  function forgetClip() {
    if (el("play").getAttribute("aria-pressed") === "true") {
      el("play").click(); // kiosk.js stops playing it
    }
    el("play").setAttribute("data-listen-recording", "");
    if (clip && clip.url) {
      URL.revokeObjectURL(clip.url);
    }
    clip = null;
  }

  /* Quick exit, the idle wipe, leaving the page: nothing recorded stays in this browser. */
  function discard() {
    dropped = true;
    chunks = [];
    if (recorder && recorder.state !== "inactive") {
      recorder.stop();
    }
    recorder = null;
    releaseMicrophone();
    forgetClip();
  }

  function clock() {
    var seconds = Math.floor((Date.now() - startedAt) / 1000);
    var rest = seconds % 60;
    el("clock").textContent = Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
    if (seconds >= maxSeconds) {
      stop();
    }
  }

  function upload(blob) {
    // The recording is the whole body: the server keeps it in memory until it is sealed.
    uploading = window.fetch(panel.getAttribute("data-voice-url"), {
      method: "POST",
      body: blob,
      headers: { "X-CSRFToken": token, "Content-Type": "application/octet-stream" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      return response.json().then(function (said) {
        if (dropped) {
          return;
        }
        if (response.ok) {
          show(["play", "again", "delete", "saved"]);
          problem("");
          el("play").focus();
        } else {
          forgetClip();
          show(["record"]);
          problem(said.message);
        }
      });
    }).catch(function () {
      if (!dropped) {
        forgetClip();
        show(["record"]);
        problem(panel.getAttribute("data-voice-not-saved"));
      }
    }).then(function () { uploading = null; });
    return uploading;
  }

  function finished() {
    releaseMicrophone();
    if (dropped) {
      chunks = [];
      return;
    }
    var blob = new Blob(chunks, { type: mime.split(";")[0] });
    chunks = [];
    clip = { blob: blob, url: URL.createObjectURL(blob) };
    // kiosk.js's Listen plays it, after asking for headphones the first time.
    el("play").setAttribute("data-listen-recording", clip.url);
    upload(blob);
  }

  function record() {
    problem("");
    forgetClip();
    dropped = false;
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (got) {
      if (dropped) {
        got.getTracks().forEach(function (track) { track.stop(); });
        return;
      }
      stream = got;
      chunks = [];
      recorder = new MediaRecorder(stream, { mimeType: mime, audioBitsPerSecond: 64000 });
      recorder.addEventListener("dataavailable", function (event) {
        if (!dropped && event.data && event.data.size) {
          chunks.push(event.data);
        }
      });
      whenStopped = new Promise(function (resolve) {
        recorder.addEventListener("stop", function () {
          finished();
          resolve();
        });
      });
      recorder.start(1000);
      startedAt = Date.now();
      el("clock").textContent = "0:00";
      ticker = window.setInterval(clock, 1000);
      show(["stop", "recording"]);
      el("stop").focus();
    }).catch(function (error) {
      if (error && error.name === "NotFoundError") {
        panel.hidden = true; // no microphone after all: typing is the way
        return;
      }
      show(["record"]);
      problem(panel.getAttribute("data-voice-refused"));
    });
  }

  function stop() {
    window.clearInterval(ticker);
    if (recorder && recorder.state !== "inactive") {
      recorder.stop();
    }
    recorder = null;
  }

  function remove() {
    forgetClip();
    show(["record"]);
    var form = new FormData();
    form.append("csrf_token", token);
    return window.fetch(panel.getAttribute("data-voice-delete-url"), {
      method: "POST", body: form, credentials: "same-origin"
    }).catch(function () { /* the draft is wiped with the session anyway */ });
  }

  el("record").addEventListener("click", record);
  el("stop").addEventListener("click", stop);
  el("delete").addEventListener("click", remove);
  el("again").addEventListener("click", function () {
    remove().then(record);
  });
  document.addEventListener("kiosk:leaving", discard);
  window.addEventListener("pagehide", discard);

  /* Continue, Skip, Send now or Add while recording: stop, save, then go on (never wait
     more than a few seconds: sending must not be held up by a recording). form.submit()
     fires no second submit event (kiosk.js sends a form once), so the button pressed is
     carried in a hidden field. */
  Array.prototype.forEach.call(document.forms, function (form) {
    form.addEventListener("submit", function (event) {
      if (!recorder && !uploading) {
        return;
      }
      event.preventDefault();
      var submitter = event.submitter;
      var go = function () {
        if (submitter && submitter.name) {
          var pressed = document.createElement("input");
          pressed.type = "hidden";
          pressed.name = submitter.name;
          pressed.value = submitter.value;
          form.appendChild(pressed);
        }
        form.submit();
      };
      stop();
      Promise.race([
        (whenStopped || Promise.resolve()).then(function () { return uploading; }),
        new Promise(function (resolve) { window.setTimeout(resolve, 4000); })
      ]).then(go, go);
    });
  });

  navigator.mediaDevices.enumerateDevices().then(function (devices) {
    var microphone = devices.some(function (device) { return device.kind === "audioinput"; });
    if (!microphone) {
      return;
    }
    panel.hidden = false;
    show(panel.hasAttribute("data-voice-kept") ? ["again", "delete", "saved"] : ["record"]);
    var listenButton = document.querySelector(".kiosk-listen[data-listen]");
    if (listenButton) {
      var url = listenButton.getAttribute("data-listen");
      listenButton.setAttribute("data-listen", url + (url.indexOf("?") < 0 ? "?" : "&") + "voice=1");
    }
  }).catch(function () { /* no way to know: typing is the way */ });
})();
