// The demo phone: follows the phone line's TwiML as Twilio does, in the browser.
// Every request goes through the server's relay, which signs it with the demo token.
"use strict";

(function () {
  const RELAY = "/ivr/simulator/relay";
  const UPLOAD = "/ivr/simulator/recordings";
  const SAMPLE = "/ivr/simulator/sample";
  // The secret this browser was given with the page: the relay signs only its requests.
  const SECRET = document.querySelector('meta[name="simulator-secret"]').content;
  const HEADERS = { "X-SafeReport-Simulator": SECRET };

  const $ = (id) => document.getElementById(id);
  let call = null; // the call in progress
  let languages = {}; // each played prompt's language and direction (from the relay)

  // A line in another language carries its language and direction (Arabic and Urdu
  // run right to left); a <Say> in an unknown direction lets the browser decide.
  function say(text, language) {
    const item = document.createElement("li");
    item.textContent = text;
    if (language && language.lang) {
      item.lang = language.lang;
      item.dir = language.dir || "auto";
    }
    $("transcript").appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function setState(text) { $("state").textContent = text; }

  function setInCall(inCall) {
    $("call").disabled = inCall;
    $("hangup").disabled = !inCall;
    document.querySelectorAll(".phone__key").forEach((key) => { key.disabled = !inCall; });
  }

  async function relay(url, extra) {
    const params = Object.assign({}, call.params, extra || {});
    const response = await fetch(RELAY, {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, HEADERS),
      body: JSON.stringify({ url: url, params: params }),
    });
    if (!response.ok) throw new Error("relay answered " + response.status);
    const answer = await response.json();
    if (answer.status !== 200) throw new Error("the line answered " + answer.status);
    return answer;
  }

  function sleep(ms, signal) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      if (signal) signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); });
    });
  }

  function play(url, signal) {
    return new Promise((resolve) => {
      if (signal && signal.aborted) return resolve();
      const audio = new Audio(url);
      const done = () => { audio.pause(); resolve(); };
      audio.addEventListener("ended", done);
      audio.addEventListener("error", done);
      if (signal) signal.addEventListener("abort", done);
      audio.play().catch(done);
    });
  }

  function speak(text, language, signal) {
    return new Promise((resolve) => {
      if (!window.speechSynthesis || (signal && signal.aborted)) return resolve();
      const utterance = new SpeechSynthesisUtterance(text);
      if (language) utterance.lang = language;
      utterance.onend = resolve;
      utterance.onerror = resolve;
      if (signal) signal.addEventListener("abort", () => { speechSynthesis.cancel(); resolve(); });
      speechSynthesis.speak(utterance);
    });
  }

  async function hear(verb, captions, signal) {
    const text = (verb.textContent || "").trim();
    if (verb.tagName === "Pause") return sleep(1000 * Number(verb.getAttribute("length") || 1), signal);
    if (verb.tagName === "Say") {
      const said = verb.getAttribute("language");
      say(text, said ? { lang: said, dir: "auto" } : null);
      return speak(text, said, signal);
    }
    if (call.recording && text === call.recording.url) {
      say("(your message)");
      return play(URL.createObjectURL(call.recording.blob), signal);
    }
    say(captions[text] || "(audio)", captions[text] ? languages[text] : null);
    return play(text, signal);
  }

  // <Gather>: nested prompts play until a key is pressed; then digits are collected.
  async function gather(verb, captions) {
    const numDigits = Number(verb.getAttribute("numDigits") || 0);
    const finishOnKey = verb.hasAttribute("finishOnKey") ? verb.getAttribute("finishOnKey") : "#";
    const timeout = 1000 * Number(verb.getAttribute("timeout") || 5);
    const barge = new AbortController();
    let digits = "";
    let finished;
    const over = new Promise((resolve) => { finished = resolve; });
    let silenceTimer = null;
    const restartTimer = () => { clearTimeout(silenceTimer); silenceTimer = setTimeout(() => finished(), timeout); };
    call.onKey = (key) => {
      barge.abort();
      if (finishOnKey && key === finishOnKey) return finished();
      digits += key;
      if (numDigits && digits.length >= numDigits) return finished();
      restartTimer();
    };
    setState("Listening: press keys.");
    for (const nested of verb.children) {
      if (barge.signal.aborted) break;
      await hear(nested, captions, barge.signal);
    }
    if (!barge.signal.aborted) restartTimer();
    await Promise.race([over, call.ended]);
    clearTimeout(silenceTimer);
    call.onKey = null;
    return digits;
  }

  async function recordMessage(verb) {
    const maxLength = 1000 * Number(verb.getAttribute("maxLength") || 3600);
    const useMicrophone = document.querySelector("input[name=source]:checked").value === "microphone";
    let blob;
    let started = Date.now();
    let stoppedBy = "#";
    if (useMicrophone && navigator.mediaDevices) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream);
      const chunks = [];
      recorder.ondataavailable = (event) => chunks.push(event.data);
      const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
      recorder.start();
      started = Date.now();
      setState("Recording: press # when you have finished.");
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, maxLength);
        call.onKey = (key) => { if (key === "#") { clearTimeout(timer); resolve(); } };
        call.ended.then(() => { stoppedBy = "hangup"; clearTimeout(timer); resolve(); });
      });
      recorder.stop();
      await stopped;
      stream.getTracks().forEach((track) => track.stop());
      blob = new Blob(chunks, { type: recorder.mimeType });
    } else {
      setState("Sending the sample message.");
      blob = await (await fetch(SAMPLE)).blob();
    }
    call.onKey = null;
    const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    const upload = await fetch(UPLOAD, { method: "POST", headers: HEADERS, body: blob });
    const stored = await upload.json();
    call.recording = { url: stored.url, blob: blob };
    return {
      stoppedBy: stoppedBy,
      fields: { RecordingSid: stored.sid, RecordingUrl: stored.url, RecordingDuration: String(seconds) },
    };
  }

  // Runs one TwiML document; returns the next request to make, or null when the call is over.
  async function follow(answer) {
    const document_ = new DOMParser().parseFromString(answer.twiml, "application/xml");
    const base = answer.url;
    languages = answer.caption_languages || {};
    for (const verb of document_.documentElement.children) {
      if (call.hungUp) return null;
      if (["Say", "Play", "Pause"].includes(verb.tagName)) await hear(verb, answer.captions || {});
      else if (verb.tagName === "Gather") {
        const digits = await gather(verb, answer.captions || {});
        if (call.hungUp) return null;
        if (digits) return { url: new URL(verb.getAttribute("action") || base, base).href, extra: { Digits: digits } };
      } else if (verb.tagName === "Record") {
        const made = await recordMessage(verb);
        const action = new URL(verb.getAttribute("action") || base, base).href;
        const callback = verb.getAttribute("recordingStatusCallback");
        if (callback) {
          await relay(new URL(callback, base).href, Object.assign({ RecordingStatus: "completed" }, made.fields));
        }
        const extra = Object.assign({ Digits: made.stoppedBy }, made.fields);
        if (made.stoppedBy === "hangup") { await relay(action, extra); return null; }
        return { url: action, extra: extra };
      } else if (verb.tagName === "Redirect") {
        return { url: new URL(verb.textContent.trim(), base).href, extra: {} };
      } else if (verb.tagName === "Hangup") return null;
    }
    return null;
  }

  async function startCall() {
    let endCall;
    call = {
      params: {
        AccountSid: "AC00000000000000000000000000000000",
        CallSid: "CA" + Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""),
        From: "+447700900000",
        To: $("number").value,
        CallStatus: "in-progress",
        Direction: "inbound",
        ApiVersion: "2010-04-01",
      },
      hungUp: false,
      onKey: null,
      recording: null,
    };
    call.ended = new Promise((resolve) => { endCall = resolve; });
    call.hangUp = () => { call.hungUp = true; endCall(); };
    $("transcript").textContent = "";
    setInCall(true);
    try {
      let next = { url: new URL("/ivr/voice", window.location.href).href, extra: {} };
      while (next && !call.hungUp) next = await follow(await relay(next.url, next.extra));
    } catch (error) {
      say("The call failed: " + error.message);
    } finally {
      await relay(new URL("/ivr/status", window.location.href).href, { CallStatus: "completed", CallDuration: "60" }).catch(() => {});
      setInCall(false);
      setState("Not in a call.");
    }
  }

  function press(key) {
    if (call && call.onKey) call.onKey(key);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("call").addEventListener("click", startCall);
    $("hangup").addEventListener("click", () => { if (call) call.hangUp(); });
    document.querySelectorAll(".phone__key").forEach((button) => {
      button.addEventListener("click", () => press(button.dataset.key));
    });
    document.addEventListener("keydown", (event) => {
      if (/^[0-9*#]$/.test(event.key) && call && !call.hungUp) press(event.key);
    });
  });
})();
