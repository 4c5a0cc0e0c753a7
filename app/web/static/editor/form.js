// The document being edited: form fields <-> raw Markdown, date checks, field errors, live preview.
import { $, api, t, ui } from "./util.js";

const FIELDS = ["id", "title", "category", "locale", "twin", "effective_from", "effective_to", "body"];
const INPUT = { id: "f-id", title: "f-title", category: "f-category", locale: "f-locale", twin: "f-twin",
  effective_from: "f-from", effective_to: "f-to", body: "f-body", markdown: "md", question: "ask-q" };
export const TEMPLATE_BODY = "正文第一段。\n\n- 要点一\n- 要点二\n";
export const editing = { tab: "form", saved: "" };

const quote = (value) => JSON.stringify(String(value ?? ""));

/** Markdown with front matter from the form (values quoted, so colons and # in them are safe). */
export function composeFromForm(withFrom) {
  const v = (name) => $(INPUT[name]).value.trim();
  const lines = ["---", `id: ${quote(v("id"))}`, `title: ${quote(v("title"))}`, `category: ${quote(v("category") || "general")}`,
    `locale: ${quote($("f-locale").value)}`];
  if (withFrom && v("effective_from")) lines.push(`effective_from: ${v("effective_from")}`);
  lines.push(`effective_to: ${v("effective_to") || "null"}`);
  if (v("twin")) lines.push(`twin: ${quote(v("twin"))}`);
  return `${lines.join("\n")}\n---\n${$("f-body").value.replace(/\s+$/, "")}\n`;
}

/** What would be published: {markdown, effective_from?} from the tab in use. */
export function currentDocument() {
  if (editing.tab === "raw") return { markdown: $("md").value };
  const out = { markdown: composeFromForm(false) };
  if ($("f-from").value) out.effective_from = $("f-from").value;
  return out;
}

export function fillForm(fields) {
  for (const name of FIELDS) {
    const value = fields[name] ?? (name === "locale" ? "zh-CN" : name === "category" ? "general" : "");
    $(INPUT[name]).value = value;
  }
}

export const snapshot = () => JSON.stringify(currentDocument());
export const isDirty = () => snapshot() !== editing.saved;
export function markSaved() { editing.saved = snapshot(); }

export function clearErrors() {
  for (const node of document.querySelectorAll(".field-error")) node.textContent = "";
  for (const node of document.querySelectorAll(".invalid")) node.classList.remove("invalid");
  $("error").textContent = "";
}

/** Show an error next to its field (and in the error line); the field gets the focus. */
export function showError(message, field) {
  $("status").textContent = "";
  $("error").textContent = message;
  const target = editing.tab === "raw" && field && !["question"].includes(field) ? "markdown" : field;
  const slot = target && $(`err-${target}`);
  if (slot) slot.textContent = message;
  const input = target && $(INPUT[target]);
  if (input) { input.classList.add("invalid"); input.focus(); }
}

/** Dates of the form: an incomplete date, a past start or an end before the start blocks saving the version. */
export function dateProblem() {
  if (editing.tab === "raw") return null;
  for (const [name, id] of [["effective_from", "f-from"], ["effective_to", "f-to"]]) {
    if ($(id).validity.badInput) return { field: name, message: t("date_incomplete", { label: t(`labels.${name}`) }) };
  }
  const from = $("f-from").value, to = $("f-to").value;
  if (from && ui.today && from < ui.today) return { field: "effective_from", message: t("date_past", { label: t("labels.effective_from"), today: ui.today }) };
  if (to && to < (from || ui.today)) return { field: "effective_to", message: t("date_order") };
  return null;
}

/** Switch between the form and the raw document, carrying the text across (raw -> form needs a valid document). */
export async function setTab(name) {
  if (name === editing.tab) return true;
  const wasDirty = isDirty();
  if (name === "raw") {
    $("md").value = composeFromForm(true);
  } else {
    const p = await api("/api/policies/_preview", { method: "POST", body: { markdown: $("md").value } });
    if (!p.valid) { showError(p.error, "markdown"); return false; }
    fillForm({ id: p.policy_id, title: p.title, category: p.category, locale: p.locale, twin: p.twin, body: p.text,
      effective_from: p.effective_from && p.effective_from > ui.today ? p.effective_from : "", effective_to: p.effective_to });
  }
  showTab(name);
  if (!wasDirty) markSaved();
  return true;
}

/** Show one tab without carrying text across (the caller filled it). */
export function showTab(name) {
  editing.tab = name;
  $("form-pane").hidden = name !== "form"; $("raw-pane").hidden = name !== "raw";
  $("tab-form").classList.toggle("active", name === "form"); $("tab-raw").classList.toggle("active", name === "raw");
}

let previewTimer = null;
let previewSeq = 0;

/** Render the document a moment after typing stops; a new document clears the old preview at once. */
export function schedulePreview(now = false) {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(renderPreview, now ? 0 : 300);
}

async function renderPreview() {
  const seq = ++previewSeq;
  let markdown = currentDocument().markdown;
  if (editing.tab === "form") {  // preview the body before the id or the title is filled in
    markdown = markdown.replace(/^id: ""$/m, 'id: "preview"').replace(/^title: ""$/m, 'title: "…"');
  }
  try {
    const p = await api("/api/policies/_preview", { method: "POST", body: { markdown } });
    if (seq !== previewSeq) return;
    $("preview").innerHTML = p.valid ? p.html : "";  // server-rendered from escaped text (markdown-it, HTML off)
    $("preview-error").textContent = p.valid ? "" : p.error;
  } catch (e) {
    if (seq === previewSeq) { $("preview").replaceChildren(); $("preview-error").textContent = e.message; }
  }
}

export function clearPreview() {
  previewSeq++;
  $("preview").replaceChildren(); $("preview-error").textContent = "";
}
