// The policy editor page: login, the list, opening / creating / saving / publishing / retiring a policy.
import { TEMPLATE_BODY, clearErrors, clearPreview, currentDocument, dateProblem, editing, fillForm, isDirty,
  markSaved, schedulePreview, setTab, showError, showTab } from "./form.js";
import { $, api, button, el, openDialog, shopTime, t, translatePage, ui } from "./util.js";
import { loadAudit, loadHistory, history, setVersionActions } from "./versions.js";
import { setupAsk } from "./ask.js";

let policies = [];

function say(message) { $("status").textContent = message; $("error").textContent = ""; }

// ---------- login ----------
function showLogin() { $("app").hidden = true; $("login-box").hidden = false; $("logout").hidden = true; $("whoami").textContent = ""; }
ui.onLogout = showLogin;

async function showApp(account) {
  $("login-box").hidden = true; $("app").hidden = false; $("logout").hidden = false; $("whoami").textContent = account.login;
  const config = await api("/api/policies/_config");
  ui.tz = config.timezone; ui.today = config.today;
  $("from-hint").textContent = t("f_from_hint", { today: ui.today });
  await Promise.all([loadList(), loadDrafts()]);
  newPolicy(true);
}

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault(); $("login-error").textContent = "";
  try {
    const res = await fetch("/api/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify({ login: $("login").value, password: $("password").value }) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) { $("login-error").textContent = res.status === 401 ? t("login_wrong") : t("login_failed"); return; }
    if (!data.roles.includes("editor") && !data.roles.includes("admin")) { $("login-error").textContent = t("login_no_role"); return; }
    await showApp(data);
  } catch (e) { $("login-error").textContent = t("network_error"); }
});
$("logout").addEventListener("click", async () => {
  if (!(await leaveOk())) return;
  await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" }); showLogin();
});

// ---------- unsaved changes ----------
async function leaveOk() {
  if (!editing.mode || !isDirty()) return true;
  return openDialog({ title: t("confirm_leave_title"), body: [t("confirm_leave")], ok: t("leave") });
}
window.addEventListener("beforeunload", (ev) => { if (editing.mode && isDirty()) { ev.preventDefault(); ev.returnValue = ""; } });

// ---------- the list ----------
let filterTimer = null;
async function loadList() {
  const params = new URLSearchParams();
  if ($("filter").value.trim()) params.set("q", $("filter").value.trim());
  if ($("status-filter").value) params.set("status", $("status-filter").value);
  policies = await api(`/api/policies?${params}`);
  renderList();
}

function renderList() {
  const ul = $("policy-list"); ul.replaceChildren();
  if (!policies.length) ul.append(el("li", t("no_policies"), "meta"));
  for (const p of policies) {
    const li = el("li"); li.dataset.id = p.policy_id; li.dataset.status = p.status;
    if (editing.policyId === p.policy_id) li.classList.add("active");
    li.append(el("div", p.title), el("span", `${p.policy_id} · v${p.current_version ?? "-"}/${p.latest_version}`, "meta"),
      el("span", t(`status.${p.status}`), `tag ${p.status}`));
    if (p.status === "active" && p.scheduled.length) li.append(el("span", t("status.scheduled"), "tag scheduled"));
    if (p.outdated_by) li.append(el("span", t("outdated_tag"), "tag outdated"));
    if (p.status === "retired") li.append(button(t("restore"), "restore", (ev) => { ev.stopPropagation(); restore(p.policy_id); }));
    li.addEventListener("click", () => openPolicy(p.policy_id));
    ul.append(li);
  }
  $("categories").replaceChildren(...[...new Set(policies.map((p) => p.category))].map((c) => { const o = el("option"); o.value = c; return o; }));
}
$("filter").addEventListener("input", () => { clearTimeout(filterTimer); filterTimer = setTimeout(loadList, 250); });
$("status-filter").addEventListener("change", loadList);

// ---------- drafts ----------
let drafts = [];
async function loadDrafts() {
  drafts = await api("/api/policies/_drafts");
  const ul = $("drafts-list"); ul.replaceChildren();
  if (!drafts.length) ul.append(el("li", t("no_drafts"), "meta"));
  for (const d of drafts) {
    const li = el("li"); li.dataset.draftId = d.draft_id;
    li.append(el("div", d.title || d.policy_id || "?"), el("span", `${d.policy_id || ""} · ${d.editor} · ${shopTime(d.updated_at)}`, "meta"));
    li.addEventListener("click", () => resumeDraft(d.draft_id));
    ul.append(li);
  }
}

async function resumeDraft(draftId) {
  if (!(await leaveOk())) return;
  try {
    const d = await api(`/api/policies/_drafts/${draftId}`);
    if (d.is_new || !d.policy_id) await newPolicy(true); else await openPolicy(d.policy_id, { force: true });
    Object.assign(editing, { draftId: d.draft_id, baseVersion: d.base_version ?? editing.baseVersion, replaces: d.replaces });
    $("md").value = d.markdown;
    showTab("raw");
    await setTab("form");  // stays on the raw document when the draft does not parse yet
    if (d.effective_from) $("f-from").value = d.effective_from;
    editing.saved = JSON.stringify(currentDocument());
    say(t("draft_saved", { time: shopTime(d.updated_at) })); schedulePreview(true);
  } catch (e) { showError(e.message, e.field); }
}

async function saveDraft() {
  clearErrors();
  const body = { ...currentDocument(), policy_id: editing.mode === "edit" ? editing.policyId : null,
    base_version: editing.baseVersion, replaces: editing.replaces, is_new: editing.mode === "new" };
  try {
    const d = editing.draftId ? await api(`/api/policies/_drafts/${editing.draftId}`, { method: "PUT", body })
      : await api("/api/policies/_drafts", { method: "POST", body });
    editing.draftId = d.draft_id; markSaved(); say(t("draft_saved", { time: shopTime(d.updated_at) }));
    await loadDrafts();
  } catch (e) { showError(e.message, e.field); }
}
$("save-draft-btn").addEventListener("click", saveDraft);

// ---------- one policy ----------
function banner(lines) {
  $("banner").replaceChildren(...lines.map(([text, cls, extra]) => { const d = el("div", text, `notice ${cls || ""}`); if (extra) d.append(...extra); return d; }));
}

function resetEditor() {
  clearErrors(); clearPreview(); $("status").textContent = "";
  for (const id of ["ask-draft", "ask-today"]) { const box = $(id); box.querySelector(".reply").textContent = ""; box.querySelector(".clauses").replaceChildren(); }
  showTab("form");
}

export async function newPolicy(force = false) {
  if (!force && !(await leaveOk())) return;
  resetEditor();
  Object.assign(editing, { mode: "new", policyId: null, baseVersion: null, replaces: null, draftId: null, doc: null });
  $("editing-title").textContent = t("new_title"); $("f-id").readOnly = false;
  fillForm({ body: TEMPLATE_BODY });
  $("twin-hint").textContent = "";
  $("retire-btn").hidden = true; $("restore-btn").hidden = true;
  banner([]); history([]); markSaved(); renderList(); schedulePreview(true); await loadAudit(null);
}
$("new-btn").addEventListener("click", () => newPolicy());

export async function openPolicy(id, { force = false, version = null } = {}) {
  if (!force && !(await leaveOk())) return;
  try {
    const doc = await api(`/api/policies/${encodeURIComponent(id)}${version ? `?version=${version}` : ""}`);
    resetEditor();
    Object.assign(editing, { mode: "edit", policyId: id, baseVersion: doc.base_version, replaces: null, draftId: null, doc });
    $("editing-title").textContent = t("editing", { title: `${doc.title}（v${doc.version}，${t(`status.${doc.status}`)}）` });
    $("f-id").readOnly = true;
    const scheduled = doc.status === "scheduled";
    fillForm({ id: doc.policy_id, title: doc.title, category: doc.category, locale: doc.locale, twin: doc.twin_field, body: doc.body,
      effective_from: scheduled ? doc.effective_from : "", effective_to: doc.effective_to });  // a new version starts now
    if (scheduled) editing.replaces = doc.version;
    $("twin-hint").textContent = doc.twin ? t("twin_linked", { id: doc.twin }) : "";
    $("retire-btn").hidden = doc.status === "retired"; $("restore-btn").hidden = doc.status !== "retired";
    markSaved(); renderList(); schedulePreview(true);
    const rows = await loadHistory(id);
    policyBanner(doc, rows, (await api(`/api/policies/_drafts?policy_id=${encodeURIComponent(id)}`))[0]);
    await loadAudit(id);
  } catch (e) { showError(e.message, e.field); }
}

function policyBanner(doc, rows, draft) {
  const lines = [];
  if (doc.status === "retired") lines.push([t("banner_retired"), "warn"]);
  if (editing.replaces) lines.push([t("banner_scheduled", { version: doc.version, date: doc.effective_from })]);
  for (const r of rows.filter((r) => r.status === "scheduled" && r.version !== editing.replaces)) {
    lines.push([t("banner_has_scheduled", { version: r.version, date: r.effective_from })]);
  }
  if (doc.outdated_by) {
    lines.push([t("banner_outdated", { twin: doc.outdated_by, version: doc.outdated_version }), "warn outdated",
      [button(t("open_twin"), "open-twin", () => openPolicy(doc.outdated_by)), button(t("in_step"), "in-step", markInStep)]]);
  }
  if (draft) {
    lines.push([t("banner_draft", { editor: draft.editor, time: shopTime(draft.updated_at) }), "",
      [button(t("resume_draft"), "resume-draft", () => resumeDraft(draft.draft_id)), button(t("discard_draft"), "discard-draft", () => discardDraft(draft.draft_id))]]);
  }
  banner(lines);
}

async function discardDraft(draftId) {
  try { await api(`/api/policies/_drafts/${draftId}`, { method: "DELETE" }); await loadDrafts(); await openPolicy(editing.policyId, { force: true }); say(t("draft_deleted")); }
  catch (e) { showError(e.message, e.field); }
}

async function markInStep() {
  try { await api(`/api/policies/${encodeURIComponent(editing.policyId)}/in_step`, { method: "POST" }); await loadList(); await openPolicy(editing.policyId, { force: true }); say(t("in_step_done")); }
  catch (e) { showError(e.message, e.field); }
}

// ---------- publish ----------
async function publish() {
  clearErrors();
  const problem = dateProblem();
  if (problem) { showError(problem.message, problem.field); return; }
  if (editing.tab === "form" && !$("f-id").value.trim()) { showError(t("id_required"), "id"); return; }
  const docIn = currentDocument();
  const guard = { create: editing.mode === "new", base_version: editing.mode === "edit" ? editing.baseVersion : null,
    policy_id: editing.mode === "edit" ? editing.policyId : null, replaces: editing.replaces };
  try {
    const diff = await api("/api/policies/_diff?context=10000", { method: "POST", body: { ...docIn, ...guard } });
    const start = docIn.effective_from || ui.today;
    const when = start > ui.today ? t("when_from", { date: start }) : t("when_now");
    const body = [t(editing.mode === "new" ? "publish_summary_new" : "publish_summary", { id: diff.policy_id, when }),
      diff.from ? t("served_now", { version: diff.from, status: t(`status.${diff.from_status}`) }) : t("served_none")];
    if (editing.replaces) body.push(t("replaces_scheduled", { version: editing.replaces }));
    for (const r of (editing.mode === "edit" ? (await api(`/api/policies/${encodeURIComponent(diff.policy_id)}/history`)) : [])) {
      if (r.status === "scheduled" && r.version !== editing.replaces && r.effective_from >= start) body.push(t("cancels_scheduled", { version: r.version, date: r.effective_from }));
    }
    if (!diff.diff.length && !editing.replaces) body.push(t("no_change"));
    if (!(await openDialog({ title: t("confirm_publish_title"), body, diff: diff.diff, ok: t("publish_now") }))) return;
    const r = await api("/api/policies", { method: "POST", body: { ...docIn, ...guard, draft_id: editing.draftId } });
    markSaved();
    const whenDone = r.effective_from && r.effective_from > ui.today ? t("when_from", { date: r.effective_from }) : t("when_now");
    await Promise.all([loadList(), loadDrafts()]); await openPolicy(r.policy_id, { force: true });
    say(r.status === "unchanged" ? t("unchanged", { version: r.version }) : t("published", { id: r.policy_id, version: r.version, when: whenDone }));
  } catch (e) { showError(e.message, e.field); }
}
$("publish-btn").addEventListener("click", publish);

// ---------- retire / restore ----------
$("retire-btn").addEventListener("click", async () => {
  const id = editing.policyId;
  if (!id || !(await openDialog({ title: t("confirm_retire_title"), body: [t("confirm_retire", { id })], ok: t("retire") }))) return;
  try { await api(`/api/policies/${encodeURIComponent(id)}/retire`, { method: "POST" }); await loadList(); await openPolicy(id, { force: true }); say(t("retired", { id })); }
  catch (e) { showError(e.message, e.field); }
});

async function restore(id) {
  if (editing.policyId !== id && !(await leaveOk())) return;
  try { await api(`/api/policies/${encodeURIComponent(id)}/restore`, { method: "POST" }); await loadList(); await openPolicy(id, { force: true }); say(t("restored", { id })); }
  catch (e) { showError(e.message, e.field); }
}
$("restore-btn").addEventListener("click", () => restore(editing.policyId));

/** A new policy's id that is taken is said at once, with the policy that has it (publishing refuses it too). */
function checkNewId() {
  if (editing.mode !== "new") return;
  const taken = policies.find((p) => p.policy_id === $("f-id").value.trim());
  $("err-id").textContent = taken ? t("id_taken", { id: taken.policy_id, title: taken.title }) : "";
}
$("f-id").addEventListener("input", checkNewId);

// ---------- typing, tabs, language ----------
for (const id of ["f-id", "f-title", "f-category", "f-locale", "f-twin", "f-from", "f-to", "f-body", "md"]) {
  $(id).addEventListener("input", () => schedulePreview());
}
$("tab-form").addEventListener("click", async () => { clearErrors(); try { await setTab("form"); schedulePreview(true); } catch (e) { showError(e.message, e.field); } });
$("tab-raw").addEventListener("click", async () => { clearErrors(); await setTab("raw"); schedulePreview(true); });
$("lang-select").value = ui.lang;
$("lang-select").addEventListener("change", async () => {
  ui.lang = $("lang-select").value; localStorage.setItem("kefu-editor-lang", ui.lang);
  translatePage(); $("from-hint").textContent = t("f_from_hint", { today: ui.today });
  renderList(); await loadDrafts();
  if (editing.policyId) { await loadHistory(editing.policyId); await loadAudit(editing.policyId); }
});

setVersionActions({ openPolicy, say, reloadList: loadList });
setupAsk(say);
translatePage();
(async () => {
  try {
    const res = await fetch("/api/auth/me", { credentials: "same-origin" });
    if (res.ok) { const me = await res.json(); if (me.roles.includes("editor") || me.roles.includes("admin")) { await showApp(me); return; } }
  } catch (e) { /* not logged in */ }
  showLogin();
})();
