// The console's category pilot panel, for admins: shows the settings in force and changes one category's
// mode (or the default) through POST /api/pilot (audited under the admin's login).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const MODES = { bot: "机器人", human: "人工", split: "分流" };
  const describe = (s) => (s.mode === "split" ? MODES.split + "（机器人 " + Math.round(s.share * 100) + "%）" : MODES[s.mode]);

  function render(pilot) {
    const now = Object.entries(pilot.categories).map(([c, s]) => c + "：" + describe(s));
    $("pilot-now").textContent = "当前：" + (now.length ? now.join("，") + "；" : "") + "其余品类 " + describe(pilot.default);
    const select = $("pilot-category");
    if (!select.options.length) {
      select.append(new Option("其余品类（默认）", ""));
      for (const c of pilot.known_categories) select.append(new Option(c, c));
    }
  }

  async function load() {
    const me = await fetch("/api/auth/me", { credentials: "same-origin" });
    if (!me.ok || !(await me.json()).roles.includes("admin")) { $("pilot-panel").hidden = true; return; }
    const res = await fetch("/api/pilot", { credentials: "same-origin" });
    if (!res.ok) return;
    render(await res.json());
    $("pilot-panel").hidden = false;
  }

  $("pilot-mode").addEventListener("change", () => { $("pilot-share-box").hidden = $("pilot-mode").value !== "split"; });
  $("pilot-form").addEventListener("submit", async (ev) => {
    ev.preventDefault(); $("pilot-error").textContent = "";
    const category = $("pilot-category").value, mode = $("pilot-mode").value;
    const body = { mode, category: category || null, default: !category };
    if (mode === "split") body.share = Number($("pilot-share").value);
    const res = await fetch("/api/pilot", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) { $("pilot-error").textContent = typeof data.detail === "string" ? data.detail : "保存失败"; return; }
    render({ ...data, known_categories: [] });
  });
  new MutationObserver(() => { if (!$("desk").hidden) load(); }).observe($("desk"), { attributes: true, attributeFilter: ["hidden"] });
  if (!$("desk").hidden) load();
})();
