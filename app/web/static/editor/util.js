// Shared helpers of the policy editor: language, elements, the JSON API, times in the shop's zone, dialogs, diffs.
import { TEXT } from "./i18n.js";

export const $ = (id) => document.getElementById(id);
export const ui = { lang: localStorage.getItem("kefu-editor-lang") === "en" ? "en" : "zh", tz: "Asia/Shanghai",
  today: "", onLogout: () => {} };

/** A sentence of the page in its language, with {name} filled from params. */
export function t(key, params = {}) {
  let value = key.split(".").reduce((o, k) => (o == null ? o : o[k]), TEXT[ui.lang]);
  if (value == null) value = key;
  return String(value).replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m));
}

export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export function button(label, cls, onClick) {
  const b = el("button", label, cls ? `small ${cls}` : "small");
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

/** Static labels of the page (data-i18n, data-i18n-placeholder) in the current language. */
export function translatePage() {
  document.documentElement.lang = ui.lang === "en" ? "en" : "zh-CN";
  document.title = t("page_title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
}

/** An error of the API: its message (in the page's language) and the field it is about. */
export class ApiError extends Error {
  constructor(message, field, status, code) { super(message); this.field = field; this.status = status; this.code = code; }
}

function errorOf(res, data) {
  const d = data.detail;
  if (d && typeof d === "object" && !Array.isArray(d)) return new ApiError(d.message, d.field, res.status, d.code);
  if (Array.isArray(d) && d.length) {  // request validation (422): name the field
    const field = String(d[0].loc?.[d[0].loc.length - 1] ?? "");
    const label = t(`labels.${field}`);
    return new ApiError(t("field_invalid", { label: label.startsWith("labels.") ? field : label }), field, res.status);
  }
  return new ApiError(typeof d === "string" ? d : t("request_failed", { status: res.status }), null, res.status);
}

export async function api(path, opts = {}) {
  const init = { method: opts.method || "GET", credentials: "same-origin", headers: { "Accept-Language": ui.lang } };
  if (opts.body !== undefined) { init.body = JSON.stringify(opts.body); init.headers["Content-Type"] = "application/json"; }
  let res;
  try { res = await fetch(path, init); } catch (e) { throw new ApiError(t("network_error"), null, 0); }
  if (res.status === 401) { ui.onLogout(); throw new ApiError(t("need_login"), null, 401); }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw errorOf(res, data);
  return data;
}

/** A UTC timestamp shown in the shop's time zone. */
export function shopTime(iso) {
  if (!iso) return "-";
  const when = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso.replace(" ", "T") + "Z");
  if (Number.isNaN(when.getTime())) return iso;
  return new Intl.DateTimeFormat(ui.lang === "en" ? "en-GB" : "zh-CN", { timeZone: ui.tz, year: "numeric",
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(when);
}

/** Side-by-side rows of unified-diff lines: removed lines left, added lines right, paired in order. */
export function diffTable(lines) {
  const table = el("table", null, "diff"), body = el("tbody");
  let dels = [], adds = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      const tr = el("tr");
      tr.append(el("td", dels[i] ?? "", i < dels.length ? "del" : "empty"), el("td", adds[i] ?? "", i < adds.length ? "add" : "empty"));
      body.append(tr);
    }
    dels = []; adds = [];
  };
  for (const [i, line] of lines.entries()) {
    if ((i === 0 && line.startsWith("--- ")) || (i === 1 && line.startsWith("+++ ")) || line.startsWith("@@")) continue;
    if (line.startsWith("-")) { dels.push(line.slice(1)); continue; }
    if (line.startsWith("+")) { adds.push(line.slice(1)); continue; }
    flush();
    const tr = el("tr"); tr.append(el("td", line.slice(1)), el("td", line.slice(1))); body.append(tr);
  }
  flush();
  table.append(body);
  return table;
}

/** Show the dialog; resolves true when the OK button is pressed (no OK label: a read-only view). */
export function openDialog({ title, body = [], diff = null, ok = null, cancel = null }) {
  const dialog = $("dialog");
  $("dialog-title").textContent = title;
  $("dialog-body").replaceChildren(...body.map((n) => (typeof n === "string" ? el("p", n) : n)));
  $("dialog-diff").replaceChildren(...(diff ? [diffTable(diff)] : []));
  $("dialog-ok").hidden = !ok;
  $("dialog-ok").textContent = ok || "";
  $("dialog-cancel").textContent = cancel || (ok ? t("cancel") : t("close"));
  return new Promise((resolve) => {
    const done = (answer) => {
      $("dialog-ok").onclick = null; $("dialog-cancel").onclick = null; dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    $("dialog-ok").onclick = () => done(true);
    $("dialog-cancel").onclick = () => done(false);
    dialog.onclose = () => done(false);
    dialog.showModal();
  });
}
