// Versions of the open policy: history (view read-only, compare, roll back, edit or cancel a scheduled one) and audit.
import { $, api, button, el, openDialog, shopTime, t, ui } from "./util.js";
import { editing } from "./form.js";

let actions = { openPolicy: async () => {}, say: () => {}, reloadList: async () => {} };
let rows = [];

export function setVersionActions(given) { actions = given; }
const pid = () => encodeURIComponent(editing.policyId);
const fail = (e) => { $("error").textContent = e.message; $("status").textContent = ""; };

export async function loadHistory(id) {
  history(await api(`/api/policies/${encodeURIComponent(id)}/history`));
  return rows;
}

/** Render the history table (newest first) and the two version pickers of "compare". */
export function history(list) {
  rows = list;
  const body = $("history"); body.replaceChildren();
  for (const r of rows.slice().reverse()) {
    const tr = el("tr"); tr.dataset.version = r.version; tr.dataset.status = r.status;
    const status = el("td"); status.append(el("span", t(`status.${r.status}`), `tag ${r.status}`));
    const act = el("td");
    act.append(button(t("view"), "view", () => view(r.version)));
    if (["superseded", "withdrawn", "retired"].includes(r.status) && servable(r)) act.append(button(t("rollback"), "rollback", () => rollback(r.version)));
    if (r.status === "scheduled") {
      act.append(button(t("edit_scheduled"), "edit-scheduled", () => actions.openPolicy(editing.policyId, { version: r.version })),
        button(t("cancel_scheduled"), "cancel-scheduled", () => cancel(r)));
    }
    tr.append(el("td", `v${r.version}`), status, el("td", r.effective_from || t("now")), el("td", shopTime(r.created_at)), el("td", r.editor), act);
    body.append(tr);
  }
  for (const [id, pick] of [["cmp-a", rows.length - 2], ["cmp-b", rows.length - 1]]) {
    const select = $(id);
    select.replaceChildren(...rows.map((r) => { const o = el("option", `v${r.version}`); o.value = r.version; return o; }));
    if (rows.length) select.value = rows[Math.max(pick, 0)].version;
  }
}

function servable(r) {
  const today = ui.today;
  return !(r.effective_from && r.effective_from > today) && !(r.effective_to && r.effective_to < today);
}

async function view(version) {
  try {
    const doc = await api(`/api/policies/${pid()}?version=${version}`);
    const preview = await api("/api/policies/_preview", { method: "POST", body: { markdown: doc.markdown } });
    const rendered = el("div", null, "readonly-doc"); rendered.innerHTML = preview.valid ? preview.html : "";  // escaped by the server
    const raw = el("pre", doc.markdown, "readonly-doc raw-doc");
    await openDialog({ title: t("view_title", { version, status: t(`status.${doc.status}`) }), body: [rendered, raw] });
  } catch (e) { fail(e); }
}

$("cmp-btn").addEventListener("click", async () => {
  const a = $("cmp-a").value, b = $("cmp-b").value;
  if (!editing.policyId || !a || !b) return;
  try {
    const d = await api(`/api/policies/${pid()}/diff?from=${a}&to=${b}&context=10000`);
    await openDialog({ title: t("compare_title", { a, b }), body: d.diff.length ? [] : [t("same")], diff: d.diff });
  } catch (e) { fail(e); }
});

async function rollback(version) {
  try {
    const current = rows.find((r) => r.status === "current");
    let lines;
    if (current) lines = (await api(`/api/policies/${pid()}/diff?from=${current.version}&to=${version}&context=10000`)).diff;
    else lines = (await api(`/api/policies/${pid()}?version=${version}`)).markdown.split("\n").map((l) => `+${l}`);
    const body = [t("rollback_summary", { version }),
      current ? t("rollback_from", { from: current.version, version }) : t("rollback_from_none", { version })];
    if (!(await openDialog({ title: t("confirm_rollback_title", { version }), body, diff: lines, ok: t("rollback_now") }))) return;
    await api(`/api/policies/${pid()}/rollback`, { method: "POST", body: { version } });
    await actions.reloadList(); await actions.openPolicy(editing.policyId, { force: true });
    actions.say(t("rolled_back", { version }));
  } catch (e) { fail(e); }
}

async function cancel(r) {
  if (!(await openDialog({ title: t("confirm_cancel_title"), body: [t("confirm_cancel", { version: r.version, date: r.effective_from })], ok: t("cancel_scheduled") }))) return;
  try {
    await api(`/api/policies/${pid()}/versions/${r.version}/cancel`, { method: "POST" });
    await actions.reloadList(); await actions.openPolicy(editing.policyId, { force: true });
    actions.say(t("cancelled", { version: r.version }));
  } catch (e) { fail(e); }
}

export async function loadAudit(id) {
  const ul = $("audit"); ul.replaceChildren();
  const entries = await api(id ? `/api/policies/${encodeURIComponent(id)}/audit` : "/api/policies/_audit");
  for (const a of entries.slice(0, 30)) {
    const li = el("li", `${shopTime(a.ts)} ${a.editor} ${t(`verb.${a.action}`)} ${a.policy_id} v${a.from_version ?? "-"} → v${a.to_version ?? "-"}`);
    li.dataset.action = a.action;
    ul.append(li);
  }
}
