// The test question (answered with the draft published, next to today's answer) and the live search.
import { $, api, el, t } from "./util.js";
import { clearErrors, currentDocument, showError } from "./form.js";

function show(box, answer) {
  box.querySelector(".reply").textContent = answer.reply + (answer.handoff ? ` ${t("ask_handoff")}` : "");
  const ul = box.querySelector(".clauses"); ul.replaceChildren();
  if (!answer.clauses.length) ul.append(el("li", t("ask_none"), "meta"));
  for (const c of answer.clauses) {
    const li = el("li"); li.dataset.id = c.policy_id; li.dataset.version = c.version;
    li.append(el("strong", `${c.policy_id} v${c.version} `), el("span", c.text));
    ul.append(li);
  }
}

async function ask() {
  clearErrors();
  const question = $("ask-q").value.trim();
  if (!question) { showError(t("ask_empty"), "question"); return; }
  for (const id of ["ask-draft", "ask-today"]) { $(id).querySelector(".reply").textContent = "…"; $(id).querySelector(".clauses").replaceChildren(); }
  try {
    const answer = await api("/api/policies/_ask", { method: "POST", body: { ...currentDocument(), question } });
    show($("ask-draft"), answer); show($("ask-today"), answer.today);
  } catch (e) {
    for (const id of ["ask-draft", "ask-today"]) $(id).querySelector(".reply").textContent = "";
    showError(e.message, e.field);
  }
}

async function search() {
  const q = $("search-q").value.trim(); const ol = $("search-results"); ol.replaceChildren();
  if (!q) return;
  try {
    for (const h of await api(`/api/policies/_search?q=${encodeURIComponent(q)}&k=5`)) {
      const li = el("li"); li.dataset.id = h.policy_id; li.dataset.version = h.version;
      li.append(el("strong", `${h.policy_id} v${h.version}`), el("span", ` ${h.score.toFixed(3)}`, "meta"), el("div", h.text));
      ol.append(li);
    }
  } catch (e) { showError(e.message, e.field); }
}

export function setupAsk() {
  $("ask-btn").addEventListener("click", ask);
  $("ask-q").addEventListener("keydown", (ev) => { if (ev.key === "Enter") ask(); });
  $("search-btn").addEventListener("click", search);
  $("search-q").addEventListener("keydown", (ev) => { if (ev.key === "Enter") search(); });
}
