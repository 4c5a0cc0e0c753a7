// kefu chat page, voice messages: hold the button (or hold Space/Enter on it) to record; on release the
// clip goes to /api/chat/voice with the browser's own transcript when it has speech recognition. The
// clip shows in the log as a playable bubble with its transcript; the reply is the same as for typed text.
// Browsers without a microphone or MediaRecorder keep typed chat only (the button is not shown).
(function () {
  if (!navigator.mediaDevices || !window.MediaRecorder) return;
  const form = document.getElementById("form");
  const button = document.createElement("button");
  button.type = "button";
  button.id = "talk";
  button.textContent = "按住说话";
  button.setAttribute("aria-label", "hold to talk");
  form.appendChild(button);

  let recorder = null, chunks = [], recognition = null, heard = "", started = 0;

  function startRecognition() {
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    heard = "";
    if (!Recognition) return;
    try {
      recognition = new Recognition();
      recognition.lang = "zh-CN";
      recognition.onresult = e => { heard = Array.from(e.results).map(r => r[0].transcript).join(""); };
      recognition.onerror = () => {};
      recognition.start();
    } catch (err) { recognition = null; }
  }

  async function start() {
    if (recorder) return;
    let stream;
    try { stream = await navigator.mediaDevices.getUserMedia({audio: true}); }
    catch (err) { statusBox.textContent = "无法使用麦克风，请直接打字。"; button.hidden = true; return; }
    chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = e => { if (e.data.size) chunks.push(e.data); };
    recorder.onstop = () => { stream.getTracks().forEach(t => t.stop()); upload(new Blob(chunks, {type: recorder.mimeType})); recorder = null; };
    recorder.start();
    started = Date.now();
    startRecognition();
    button.classList.add("recording");
    button.textContent = "松开发送";
  }

  function stop() {
    if (!recorder || recorder.state !== "recording") return;
    if (recognition) { try { recognition.stop(); } catch (err) { /* already stopped */ } }
    button.classList.remove("recording");
    button.textContent = "按住说话";
    if (Date.now() - started < 400) { recorder.onstop = () => { recorder.stream.getTracks().forEach(t => t.stop()); recorder = null; }; }
    recorder.stop();
  }

  function voiceBubble(blob) {
    const div = add("user", "");
    div.classList.add("voice");
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.src = URL.createObjectURL(blob);
    const text = document.createElement("div");
    text.className = "transcript";
    text.textContent = "（语音识别中…）";
    div.append(audio, text);
    return text;
  }

  async function upload(blob) {
    const transcriptBox = voiceBubble(blob);
    const bubble = add("assistant", "…");
    const body = new FormData();
    body.append("session", session);
    body.append("user", userBox.value || "demo");
    body.append("audio", blob, "voice." + (blob.type.includes("ogg") ? "ogg" : blob.type.includes("wav") ? "wav" : "webm"));
    if (heard) body.append("transcript", heard);
    if (typeof shopperToken !== "undefined" && shopperToken) body.append("token", shopperToken);
    const resp = await fetch("/api/chat/voice", {method: "POST", body});
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      transcriptBox.textContent = "";
      bubble.textContent = typeof data.detail === "string" ? data.detail : "抱歉，语音没有发送成功（" + resp.status + "）。";
      return;
    }
    transcriptBox.textContent = data.transcript;
    finish(bubble, data);
  }

  button.addEventListener("pointerdown", e => { e.preventDefault(); start(); });
  button.addEventListener("pointerup", stop);
  button.addEventListener("pointerleave", stop);
  button.addEventListener("keydown", e => { if ((e.key === " " || e.key === "Enter") && !e.repeat) { e.preventDefault(); start(); } });
  button.addEventListener("keyup", e => { if (e.key === " " || e.key === "Enter") { e.preventDefault(); stop(); } });
})();
