// kefu KPI dashboard: logs in (agents and editors), reads /api/kpis and draws it with plotly.js, which
// kefu serves itself (/static/vendor/plotly.min.js, from the plotly Python package). Refreshes every 30 s.
"use strict";
const $ = (id) => document.getElementById(id);
const REFRESH_MS = 30000;
const ARMS = { bot: "机器人", human: "人工" };
const FONT = { family: 'system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif', size: 12 };
const CONFIG = { displaylogo: false, responsive: true, displayModeBar: false };
let timer = null;
let names = { intents: {}, emotions: {}, reasons: {}, categories: {} };

function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
function num(v, digits = 1) { return v === null || v === undefined ? "—" : Number(v).toFixed(digits); }
function percentOrNull(v) { return v === null || v === undefined ? null : +(v * 100).toFixed(2); }
function nameOf(group, key) { return (names[group] || {})[key] || key; }

async function api(path) {
  const res = await fetch(path, { credentials: "same-origin" });
  if (res.status === 401) { showLogin(); throw new Error("login required"); }
  if (!res.ok) throw new Error("request failed (" + res.status + ")");
  return res.json();
}

function layout(extra) {
  return Object.assign({ font: FONT, margin: { l: 52, r: 64, t: 10, b: 40 }, legend: { orientation: "h", y: -0.18 },
    paper_bgcolor: "#fff", plot_bgcolor: "#fff", hovermode: "closest" }, extra);
}

function draw(id, traces, extra) { return Plotly.react($(id), traces, layout(extra), CONFIG); }

function tile(name, value, note) {
  const div = document.createElement("div"); div.className = "tile";
  const label = document.createElement("div"); label.className = "name"; label.textContent = name;
  const figure = document.createElement("div"); figure.className = "value"; figure.textContent = value;
  div.append(label, figure);
  if (note) { const small = document.createElement("div"); small.className = "note"; small.textContent = note; div.append(small); }
  return div;
}

function renderTiles(k) {
  $("tiles").replaceChildren(
    tile("会话数", String(k.conversations), k.turns + " 轮机器人回复"),
    tile("首次解决率 FCR", pct(k.fcr), k.first_contact_resolved + " 个会话机器人独立解决"),
    tile("转人工率", pct(k.handoff_rate), k.handoffs + " 个会话转人工"),
    tile("平均处理时长（秒）", num(k.aht_s.bot) + " / " + num(k.aht_s.human), "机器人 / 人工"),
    tile("满意度 CSAT", num(k.csat, 2) + " / 10", k.rated + " 个评价"),
    tile("NPS", k.nps === null ? "—" : num(k.nps * 100, 0), "推荐 " + k.promoters + " · 贬损 " + k.detractors),
    tile("前台层占比", pct(k.front_tier_share), "模板 + 店铺数据直接回答"),
    tile("响应时延 p50", num(k.p50_ms, 0) + " ms", "p99 " + num(k.p99_ms, 0) + " ms"),
    tile("单会话成本（估算）", k.cost_per_conversation_cny === null ? "—" : "¥" + num(k.cost_per_conversation_cny, 3)));
}

function renderDaily(days) {
  const x = days.map((d) => d.day);
  return draw("chart-daily", [
    { type: "bar", name: "会话数", x, y: days.map((d) => d.conversations), marker: { color: "#9db7d8" } },
    { type: "scatter", mode: "lines+markers", name: "FCR %", x, y: days.map((d) => percentOrNull(d.fcr)), yaxis: "y2" },
    { type: "scatter", mode: "lines+markers", name: "转人工率 %", x, y: days.map((d) => percentOrNull(d.handoff_rate)),
      yaxis: "y2" }],
  { xaxis: { type: "category" }, yaxis: { title: { text: "会话" }, rangemode: "tozero" },
    yaxis2: { title: { text: "%" }, overlaying: "y", side: "right", range: [0, 100] } });
}

function renderCategories(byCategory) {
  const keys = Object.keys(byCategory);
  const x = keys.map((c) => nameOf("categories", c));
  return draw("chart-category", [
    { type: "bar", name: "FCR %", x, y: keys.map((c) => percentOrNull(byCategory[c].fcr)) },
    { type: "bar", name: "转人工率 %", x, y: keys.map((c) => percentOrNull(byCategory[c].handoff_rate)) },
    { type: "scatter", mode: "markers", name: "会话数", x, y: keys.map((c) => byCategory[c].conversations), yaxis: "y2",
      marker: { size: 10, symbol: "diamond" } }],
  { barmode: "group", yaxis: { title: { text: "%" }, range: [0, 100] },
    yaxis2: { title: { text: "会话" }, overlaying: "y", side: "right", rangemode: "tozero" } });
}

function renderArms(byArm) {
  const metrics = [["FCR %", (a) => percentOrNull(a.fcr)], ["转人工率 %", (a) => percentOrNull(a.handoff_rate)],
    ["CSAT ×10", (a) => (a.csat === null ? null : +(a.csat * 10).toFixed(1))],
    ["NPS", (a) => (a.nps === null ? null : +(a.nps * 100).toFixed(1))]];
  const traces = Object.keys(byArm).map((arm) => ({
    type: "bar", name: (ARMS[arm] || arm) + "（" + byArm[arm].conversations + " 个会话）",
    x: metrics.map((m) => m[0]), y: metrics.map((m) => m[1](byArm[arm])) }));
  const empty = traces.length ? {} : { annotations: [{ text: "尚无试点分组数据", showarrow: false, xref: "paper", yref: "paper",
    x: 0.5, y: 0.5 }] };
  return draw("chart-arms", traces, Object.assign({ barmode: "group", yaxis: { range: [-100, 100] } }, empty));
}

function renderMix(k) {
  const intents = Object.entries(k.intents).sort((a, b) => a[1] - b[1]);
  const drawn = draw("chart-intents", [{ type: "bar", orientation: "h", name: "轮次", y: intents.map((e) => nameOf("intents", e[0])),
    x: intents.map((e) => e[1]), marker: { color: "#5b8def" } }], { margin: { l: 110, r: 20, t: 10, b: 30 } });
  const emotions = Object.entries(k.emotions);
  return Promise.all([drawn, draw("chart-emotions", [{ type: "pie", hole: 0.45,
    labels: emotions.map((e) => nameOf("emotions", e[0])), values: emotions.map((e) => e[1]), sort: false }],
  { margin: { l: 20, r: 20, t: 10, b: 10 } })]);
}

function renderDailyDetail(days) {
  const x = days.map((d) => d.day);
  const latency = draw("chart-latency", [
    { type: "scatter", mode: "lines+markers", name: "p50", x, y: days.map((d) => d.p50_ms) },
    { type: "scatter", mode: "lines+markers", name: "p99", x, y: days.map((d) => d.p99_ms) }],
  { xaxis: { type: "category" }, yaxis: { rangemode: "tozero" } });
  return Promise.all([latency, draw("chart-quality", [
    { type: "scatter", mode: "lines+markers", name: "CSAT（0-10）", x, y: days.map((d) => d.csat) },
    { type: "scatter", mode: "lines+markers", name: "NPS ×10", x, y: days.map((d) => (d.nps === null ? null : d.nps * 10)) },
    { type: "bar", name: "单会话成本 ¥", x, y: days.map((d) => d.cost_per_conversation_cny), yaxis: "y2", opacity: 0.4 }],
  { xaxis: { type: "category" }, yaxis: { range: [-10, 10] },
    yaxis2: { overlaying: "y", side: "right", rangemode: "tozero", title: { text: "¥" } } })]);
}

function describePilot(pilot) {
  const mode = (s) => (s.mode === "split" ? "分流（机器人 " + Math.round(s.share * 100) + "%）" : s.mode === "human" ? "人工" : "机器人");
  const parts = Object.entries(pilot.categories).map(([c, s]) => nameOf("categories", c) + "：" + mode(s));
  $("pilot-settings").textContent = "当前试点：" + (parts.length ? parts.join("，") + "；" : "") + "其余品类 " + mode(pilot.default);
}

async function refresh() {
  const since = $("since").value;
  const k = await api("/api/kpis" + (since ? "?since=" + encodeURIComponent(since) : ""));
  names = k.labels || names;
  renderTiles(k);
  $("empty").hidden = k.conversations > 0;
  await Promise.all([renderDaily(k.by_day), renderCategories(k.by_category), renderArms(k.by_arm), renderMix(k),
    renderDailyDetail(k.by_day)]);
  try { describePilot(await api("/api/pilot")); } catch (e) { $("pilot-settings").textContent = ""; }
  $("updated").textContent = "更新于 " + new Date().toLocaleTimeString("zh-CN");
  $("board").dataset.rendered = String(Date.now());
}

function showLogin() {
  $("board").hidden = true; $("login-box").hidden = false; $("logout").hidden = true; $("whoami").textContent = "";
  if (timer) { clearInterval(timer); timer = null; }
}

function showBoard(account) {
  $("login-box").hidden = true; $("board").hidden = false; $("logout").hidden = false;
  $("whoami").textContent = account.login;
  refresh().catch((e) => { $("updated").textContent = e.message; });
  if (!timer) timer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
}

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault(); $("login-error").textContent = "";
  try {
    const res = await fetch("/api/auth/login", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: $("login").value, password: $("password").value }) });
    const data = await res.json();
    if (!res.ok) { $("login-error").textContent = res.status === 401 ? "账号或密码错误" : "登录失败"; return; }
    $("password").value = ""; showBoard(data);
  } catch (e) { $("login-error").textContent = "网络错误"; }
});
$("logout").addEventListener("click", async () => {
  await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" }).catch(() => {}); showLogin();
});
$("refresh").addEventListener("click", () => refresh().catch((e) => { $("updated").textContent = e.message; }));
$("since").addEventListener("change", () => refresh().catch((e) => { $("updated").textContent = e.message; }));

(function start() {
  const monthAgo = new Date(Date.now() - 30 * 86400000);
  $("since").value = monthAgo.toISOString().slice(0, 10);
  fetch("/api/auth/me", { credentials: "same-origin" })
    .then((res) => (res.ok ? res.json().then(showBoard) : showLogin()))
    .catch(showLogin);
})();
