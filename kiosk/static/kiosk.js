/* SafeReport kiosk: what JavaScript adds to a journey that works without it.
   - Listen: plays the screen read aloud, after asking once for headphones.
   - Quick exit: the screen blanks at once; Shift pressed three times does the same.
   - Inactivity: a warning with "I need more time", then everything is wiped.
   - The number pad types without a round trip; Send cannot be tapped twice.
   No inline script: this file is the only script (Content-Security-Policy script-src 'self'). */
(function () {
  "use strict";

  var html = document.documentElement;
  var body = document.body;
  var readyUrl = body.getAttribute("data-ready-url") || "/kiosk/ready";
  var HEADPHONES_KEY = "kiosk-headphones";
  var audio = null;
  var playingButton = null;

  html.classList.add("kiosk-js");
  Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (el) {
    el.hidden = false;
  });

  /* Never show a page from the back-forward cache, and drop any form state the browser
     restored when Back or Forward brought us here: after a wipe, Back must show nothing.
     (Only then: on an ordinary load a quick hand may already have ticked a box.) */
  function cameBackInHistory() {
    var entries = window.performance && window.performance.getEntriesByType
      ? window.performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      window.location.reload();
      return;
    }
    if (cameBackInHistory()) {
      Array.prototype.forEach.call(document.forms, function (form) {
        form.reset();
      });
    }
  });

  /* ---- Quick exit ---- */
  function leave() {
    html.classList.add("kiosk-exiting");
    stopAudio();
    // voice.js stops a recording in progress and drops what it recorded.
    document.dispatchEvent(new Event("kiosk:leaving"));
    // GET /kiosk/ready wipes the draft and the session cookie; replace() keeps this page
    // out of the history.
    window.location.replace(readyUrl);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-quick-exit]"), function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
  });

  var shiftPresses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) {
      return;
    }
    var now = Date.now();
    shiftPresses = shiftPresses.filter(function (t) { return now - t < 5000; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) {
      leave();
    }
  });

  /* ---- Listen ---- */
  var note = document.querySelector(".kiosk-sound-note");
  var headphones = document.getElementById("kiosk-headphones");
  var pendingUrl = null;
  var pendingButton = null;

  function setLabel(button, playing) {
    var label = button && button.querySelector(".kiosk-listen__label");
    if (label) {
      label.textContent = button.getAttribute(playing ? "data-label-stop" : "data-label-listen");
    }
    if (button) {
      button.setAttribute("aria-pressed", playing ? "true" : "false");
    }
  }

  function stopAudio() {
    if (audio) {
      audio.pause();
      audio = null;
    }
    setLabel(playingButton, false);
    playingButton = null;
  }

  function noSound() {
    stopAudio();
    if (note) {
      note.textContent = note.getAttribute("data-no-sound");
    }
  }

  function play(url, button) {
    stopAudio();
    if (note) {
      note.textContent = "";
    }
    audio = new Audio(url);
    playingButton = button;
    setLabel(button, true);
    audio.addEventListener("ended", stopAudio);
    audio.addEventListener("error", noSound);
    var started = audio.play();
    if (started && started.catch) {
      started.catch(noSound);
    }
  }

  function headphonesConfirmed() {
    try {
      return window.sessionStorage.getItem(HEADPHONES_KEY) === "yes";
    } catch (e) {
      return false;
    }
  }

  function listen(url, button) {
    if (playingButton === button && audio) {
      stopAudio();
      return;
    }
    if (headphonesConfirmed() || !headphones || !headphones.showModal) {
      play(url, button);
      return;
    }
    // Never play out loud by surprise: the first time, ask for headphones.
    pendingUrl = url;
    pendingButton = button;
    headphones.showModal();
  }

  if (headphones) {
    headphones.querySelector("[data-headphones-ok]").addEventListener("click", function () {
      try {
        window.sessionStorage.setItem(HEADPHONES_KEY, "yes");
      } catch (e) { /* storage may be off: ask again next time */ }
      headphones.close();
      if (pendingUrl) {
        play(pendingUrl, pendingButton);
      }
    });
    headphones.querySelector("[data-headphones-cancel]").addEventListener("click", function () {
      headphones.close();
    });
  }

  // data-listen-recording: a voice message just recorded, in memory (voice.js sets it).
  var listenable = "[data-listen], [data-listen-recording]";
  Array.prototype.forEach.call(document.querySelectorAll(listenable), function (button) {
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-listen") || button.getAttribute("data-listen-recording");
      if (url) {
        listen(url, button);
      }
    });
  });

  /* ---- Send once ---- */
  Array.prototype.forEach.call(document.querySelectorAll("form[data-once]"), function (form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) {
        event.preventDefault();
        return;
      }
      sent = true;
    });
  });

  /* ---- More below ----
     When part of the screen is below its bottom edge, a strip at the bottom says so,
     until the person has scrolled to the end. Measured again when fonts or the window
     change, since a longer language wraps into more lines. */
  var moreBelow = document.querySelector("[data-more-below]");
  var content = document.getElementById("main");
  function showMoreBelow() {
    if (!moreBelow || !content || !content.lastElementChild) {
      return;
    }
    // The end of what is on the page, not of the page: the space kept below the last
    // control (so it can scroll clear of this strip) is not "more".
    var end = content.lastElementChild.getBoundingClientRect().bottom;
    moreBelow.hidden = end <= window.innerHeight + 2;
  }
  if (moreBelow) {
    showMoreBelow();
    window.addEventListener("scroll", showMoreBelow, { passive: true });
    window.addEventListener("resize", showMoreBelow);
    window.addEventListener("load", showMoreBelow);
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(showMoreBelow);
    }
  }

  /* ---- Number pad ---- */
  var codeInput = document.getElementById("code");
  function spaced(digits) {
    return (digits.match(/.{1,4}/g) || []).join(" ");
  }
  /* A screen reader hears each number and the code so far, digit by digit in groups
     ("1 2 3 4, 5"), so that it is not read as one big number. */
  var padSaid = document.querySelector("[data-pad-said]");
  function sayPad(key, digits) {
    if (!padSaid) {
      return;
    }
    var groups = (digits.match(/.{1,4}/g) || []).map(function (group) {
      return group.split("").join(" ");
    }).join(", ");
    var said = !digits ? padSaid.getAttribute("data-said-empty")
      : padSaid.getAttribute(key === "delete" ? "data-said-deleted" : "data-said-added");
    padSaid.textContent = said.replace("{digit}", key).replace("{code}", groups);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-pad-key]"), function (key) {
    key.addEventListener("click", function (event) {
      if (!codeInput) {
        return;
      }
      event.preventDefault();
      var digits = codeInput.value.replace(/\D/g, "");
      var value = key.getAttribute("data-pad-key");
      if (value === "delete") {
        digits = digits.slice(0, -1);
      } else if (digits.length < 12) {
        digits += value;
      }
      codeInput.value = spaced(digits);
      sayPad(value, digits);
    });
  });

  /* ---- Keep your code safe: pictures and numbers touched without a round trip ----
     Each touch is still sent to the server (it keeps what was touched in the sealed
     draft); here it goes in the background so that the picture's name can be said at
     once, through the headphones if the person has said they wear them. */
  var keepForm = document.querySelector("form[data-keep-kind]");
  if (keepForm && window.fetch && window.FormData && window.DOMParser) {
    keepForm.addEventListener("click", function (event) {
      var key = event.target.closest ? event.target.closest("[data-keep-key], [data-pad-key]") : null;
      if (!key || key.disabled) {
        return;
      }
      event.preventDefault();
      var say = key.getAttribute("data-say");
      if (say && headphonesConfirmed()) {
        play(say, null);
      }
      var data = new FormData(keepForm);
      data.append("key", key.value);
      window.fetch(keepForm.action || window.location.href, {
        method: "POST", body: data, credentials: "same-origin"
      }).then(function (response) {
        return response.text();
      }).then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").querySelector("form[data-keep-kind]");
        if (fresh) {
          keepForm.innerHTML = fresh.innerHTML;
        } else {
          window.location.reload();
        }
      }).catch(function () {
        window.location.reload();
      });
    });
  }

  /* ---- Inactivity ---- */
  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var warningSeconds = parseInt(body.getAttribute("data-warning-seconds") || "0", 10);
  var warning = document.getElementById("kiosk-warning");
  if (!idleSeconds || !warning || !warning.showModal) {
    return;
  }
  var stillHereUrl = body.getAttribute("data-still-here-url");
  var warningAudio = body.getAttribute("data-warning-audio");
  var bar = warning.querySelector(".kiosk-countdown__bar");
  var idleTimer = null;
  var tick = null;
  var deadline = 0;

  function arm() {
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(warn, idleSeconds * 1000);
  }

  function warn() {
    deadline = Date.now() + warningSeconds * 1000;
    warning.showModal();
    if (headphonesConfirmed() && warningAudio) {
      play(warningAudio, null);
    }
    tick = window.setInterval(function () {
      var left = Math.max(0, deadline - Date.now());
      if (bar) {
        bar.style.width = (100 * left / (warningSeconds * 1000)) + "%";
      }
      if (left <= 0) {
        window.clearInterval(tick);
        leave();
      }
    }, 250);
  }

  function moreTime(event) {
    event.preventDefault();
    window.clearInterval(tick);
    warning.close();
    stopAudio();
    if (bar) {
      bar.style.width = "100%";
    }
    var form = warning.querySelector("form");
    window.fetch(stillHereUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 410) {
        leave(); // the server has already wiped this session
      }
    }).catch(function () { /* the server's own expiry still applies */ });
    arm();
  }

  warning.querySelector("form").addEventListener("submit", moreTime);
  warning.addEventListener("cancel", function (event) {
    event.preventDefault(); // Escape must not silently dismiss the warning
  });

  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (!warning.open) {
        arm();
      }
    }, { passive: true, capture: true });
  });
  arm();
})();
