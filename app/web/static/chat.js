// kefu chat page: sends turns to /api/chat/stream (server-sent events over fetch) and polls the
// transcript while a human agent holds the conversation. Orders offered for a question come as tappable
// cards; the readings of a clarifying question, confirmations and offers as quick-reply buttons; a typing
// indicator shows while the reply streams. voice.js (hold to talk) uses add(), finish() and session.
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

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function typing(bubble) {
  const dots = element("span", "typing");
  dots.setAttribute("role", "img");
  dots.setAttribute("aria-label", "客服正在输入");
  dots.append(element("span"), element("span"), element("span"));
  bubble.classList.remove("streaming");
  bubble.replaceChildren(dots);
  bubble.setAttribute("aria-busy", "true");
}

// Policies a reply relies on, as a shopper reads them: 依据：《七天无理由退货》
function citationLine(turn) {
  const titles = [...new Set((turn.citations || []).map(c => c.title).filter(Boolean))];
  return titles.length ? "依据：" + titles.map(t => "《" + t + "》").join("、") : "";
}

// Cards and quick replies answer one reply: once the shopper answered (or wrote something else), they go inert.
function retireChoices() {
  log.querySelectorAll(".cards button, .quick button").forEach(b => { b.disabled = true; });
}

function choose(text, clicked) {
  if (clicked) clicked.classList.add("chosen");
  retireChoices();
  send(text);
  msg.focus();
}

function orderCards(choices) {
  const group = element("div", "cards");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "请选择订单");
  for (const c of choices) {
    const card = element("button", "card");
    card.type = "button";
    card.dataset.order = c.order_id;
    const line = element("span", "line");
    line.append(element("span", "state", c.status_name), element("span", "amount", c.amount));
    card.append(element("span", "title", c.title), line, element("span", "oid", "订单号 " + c.order_id));
    card.setAttribute("aria-label", `${c.title}，${c.status_name}，${c.amount}，订单号 ${c.order_id}`);
    card.addEventListener("click", () => choose(c.send, card));
    group.append(card);
  }
  return group;
}

function quickReplies(buttons) {
  const group = element("div", "quick");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "快捷回复");
  for (const q of buttons) {
    const button = element("button", "", q.label);
    button.type = "button";
    button.addEventListener("click", () => choose(q.text, button));
    group.append(button);
  }
  return group;
}

async function send(text) {
  retireChoices();
  add("user", text);
  const bubble = add("assistant", "");
  typing(bubble);
  const body = JSON.stringify({session, user: userBox.value || "demo", message: text, token: shopperToken});
  const resp = await fetch("/api/chat/stream", {method: "POST", headers: {"Content-Type": "application/json"}, body});
  if (resp.status === 429) { done(bubble, "消息太频繁了，请稍后再试。"); return; }
  if (!resp.ok) { done(bubble, "抱歉，请求没有成功（" + resp.status + "）。"); return; }
  const reader = resp.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "", streamed = "";
  for (;;) {
    const {value, done: ended} = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, {stream: true});
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const line = buffer.slice(0, cut).replace(/^data: /, "");
      buffer = buffer.slice(cut + 2);
      const event = JSON.parse(line);
      if (event.type === "chunk") { streamed += event.text; bubble.textContent = streamed; bubble.classList.add("streaming"); }
      else if (event.type === "reset") { streamed = ""; typing(bubble); }
      else if (event.type === "final") { finish(bubble, event); }
      else if (event.type === "error") {
        done(bubble, event.status === 429 ? "请求人工客服太频繁了，请稍后再试。" : "抱歉：" + event.detail);
      }
    }
  }
}

function done(bubble, text) {
  bubble.classList.remove("streaming");
  bubble.removeAttribute("aria-busy");
  bubble.textContent = text;
}

function finish(bubble, turn) {
  const text = turn.page_reply || turn.reply;
  if (text) {
    done(bubble, text);
    const cite = citationLine(turn);
    if (cite) bubble.appendChild(element("div", "cite", cite));
    const choices = turn.choices || [];
    const orders = choices.filter(c => c.order_id);
    const buttons = choices.filter(c => !c.order_id).map(c => ({label: c.label, text: c.send}))
      .concat(turn.quick_replies || []);
    let after = bubble;
    for (const extra of [orders.length && orderCards(orders), buttons.length && quickReplies(buttons)]) {
      if (extra) { after.after(extra); after = extra; }
    }
  } else {
    bubble.remove();
  }
  log.scrollTop = log.scrollHeight;
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

function fitInput() { msg.style.height = "auto"; msg.style.height = Math.min(msg.scrollHeight + 2, 160) + "px"; }

form.addEventListener("submit", ev => {
  ev.preventDefault();
  const text = msg.value.trim();
  if (!text) return;
  msg.value = "";
  fitInput();
  send(text);
});
msg.addEventListener("input", fitInput);
msg.addEventListener("keydown", ev => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit(); }
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
