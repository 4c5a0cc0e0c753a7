// kefu chat page: sends turns to /api/chat/stream (server-sent events over fetch) and polls the
// transcript while a human agent holds the conversation.
const log = document.getElementById("log");
const form = document.getElementById("form");
const msg = document.getElementById("msg");
const statusBox = document.getElementById("status");
const userBox = document.getElementById("user");
// The shop's login signs the page in through the URL fragment, which browsers never send to a server:
// /#user=UID&token=TOKEN (a token from the shop's login or `kefu shopper-token`). The page keeps it for this
// tab, removes it from the address bar, and sends it in request bodies and the X-Shopper-Token header only.
const signed = new URLSearchParams(location.hash.slice(1));
if (signed.get("token")) {
  sessionStorage.setItem("kefu_shopper", JSON.stringify({user: signed.get("user") || "", token: signed.get("token")}));
  history.replaceState(null, "", location.pathname);
}
const shopper = JSON.parse(sessionStorage.getItem("kefu_shopper") || "null");
if (shopper && shopper.user) { userBox.value = shopper.user; userBox.readOnly = true; }
const shopperToken = shopper ? shopper.token : null;
const tokenHeaders = shopperToken ? {"X-Shopper-Token": shopperToken} : {};
let session = localStorage.getItem("kefu_session") || newSession();
let seen = Number(localStorage.getItem("kefu_seen_" + session) || 0);
let polling = null;

function newSession() {
  const id = "web-" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  localStorage.setItem("kefu_session", id);
  return id;
}

function add(role, text, meta) {
  const div = document.createElement("div");
  div.className = "msg " + role;
  div.textContent = text;
  if (meta) {
    const m = document.createElement("div");
    m.className = "meta";
    m.textContent = meta;
    div.appendChild(m);
  }
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
  return div;
}

function describe(turn) {
  const parts = [];
  (turn.citations || []).forEach(c => parts.push(`依据 ${c.policy_id} v${c.version}`));
  (turn.actions || []).forEach(a => parts.push(`${a.name}: ${a.status}`));
  return parts.join(" · ");
}

async function send(text) {
  add("user", text);
  const bubble = add("assistant", "…");
  const body = JSON.stringify({session, user: userBox.value || "demo", message: text, token: shopperToken});
  const resp = await fetch("/api/chat/stream", {method: "POST", headers: {"Content-Type": "application/json"}, body});
  if (resp.status === 429) { bubble.textContent = "消息太频繁了，请稍后再试。"; return; }
  if (!resp.ok) { bubble.textContent = "抱歉，请求没有成功（" + resp.status + "）。"; return; }
  const reader = resp.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "", streamed = "";
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, {stream: true});
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const line = buffer.slice(0, cut).replace(/^data: /, "");
      buffer = buffer.slice(cut + 2);
      const event = JSON.parse(line);
      if (event.type === "chunk") { streamed += event.text; bubble.textContent = streamed; }
      else if (event.type === "reset") { streamed = ""; bubble.textContent = "…"; }
      else if (event.type === "final") { finish(bubble, event); }
      else if (event.type === "error") {
        bubble.textContent = event.status === 429 ? "请求人工客服太频繁了，请稍后再试。" : "抱歉：" + event.detail;
      }
    }
  }
}

function finish(bubble, turn) {
  if (turn.reply) {
    bubble.textContent = turn.reply;
    const meta = describe(turn);
    if (meta) { const m = document.createElement("div"); m.className = "meta"; m.textContent = meta; bubble.appendChild(m); }
  } else {
    bubble.remove();
  }
  syncTranscriptIndex();
  const handoff = turn.handoff || {};
  statusBox.textContent = handoff.active ? "人工客服服务中" : "";
  if (handoff.active) startPolling(); else stopPolling();
}

async function fetchMessages() {
  const url = `/api/chat/${encodeURIComponent(session)}/messages?user=${encodeURIComponent(userBox.value || "demo")}&after=${seen}`;
  const resp = await fetch(url, {headers: tokenHeaders});
  if (!resp.ok) return null;
  return resp.json();
}

async function syncTranscriptIndex() {
  const data = await fetchMessages();
  if (data) { seen = data.next; localStorage.setItem("kefu_seen_" + session, seen); }
}

function startPolling() {
  if (polling) return;
  polling = setInterval(async () => {
    const data = await fetchMessages();
    if (!data) return;
    data.messages.filter(m => m.role === "agent").forEach(m => add("agent", m.content, "人工客服"));
    seen = data.next;
    localStorage.setItem("kefu_seen_" + session, seen);
    statusBox.textContent = data.handoff && data.handoff.active ? "人工客服服务中" : "";
    if (!(data.handoff && data.handoff.active)) stopPolling();
  }, 1000);
}

function stopPolling() { if (polling) { clearInterval(polling); polling = null; } }

form.addEventListener("submit", ev => {
  ev.preventDefault();
  const text = msg.value.trim();
  if (!text) return;
  msg.value = "";
  send(text);
});
msg.addEventListener("keydown", ev => {
  if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
});
document.getElementById("new").addEventListener("click", () => {
  session = newSession(); seen = 0; log.innerHTML = ""; stopPolling(); statusBox.textContent = "";
});
document.getElementById("rateBtn").addEventListener("click", async () => {
  const rating = Number(document.getElementById("score").value);
  const resp = await fetch(`/api/chat/${encodeURIComponent(session)}/rating`, {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({rating, user: userBox.value, token: shopperToken})});
  statusBox.textContent = resp.ok ? "感谢您的评价！" : "评价提交失败";
});
