/// The console's one script, in pieces: the shared helpers and the live queue here, the alert detail in
/// `ConsoleScriptDetail.swift`, the login form in `ConsoleScriptSignIn.swift`, the review list last. They make one
/// module, `Console`.
extension Assets {
    static let js =
        scriptCore + scriptQueue + scriptDetail + scriptSignIn + scriptMap + scriptIncident + scriptSurvey + scriptReviews

    static let scriptCore = #"""
        "use strict";
        const Console = (() => {
          // The catalogue's texts in the page's language (ConsoleText.script), and `tr` to fill their {1}, {2}.
          const T = JSON.parse((document.getElementById("console-text") || {}).textContent || "{}");
          const LANG = document.documentElement.lang || "nl";
          const tr = (k, ...a) => String(T[k] ?? k).replace(/\{(\d+)\}/g, (_, i) => a[i - 1] ?? "");
          const SEV = {critical: 0, high: 1, medium: 2, low: 3};
          const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
          const words = s => String(s ?? "").replace(/_/g, " ");
          // The display name of a contract code (kind, severity, state, queue, measure, action, role).
          const nm = (area, code) => T[area + "." + code] ?? words(code);
          // A moment as people read it: in the page's language, in Brussels time (the data keep RFC 3339).
          const LOCALE = {nl: "nl-BE", fr: "fr-BE", en: "en-GB"}[LANG] || "nl-BE";
          const when = t => new Date(t).toLocaleString(LOCALE, {timeZone: "Europe/Brussels", day: "numeric",
            month: "long", year: "numeric", hour: "2-digit", minute: "2-digit"});
          // The alert's state for one queue (PROTOCOL 4.4, 1.1: each queue handles it for itself); the summary for a
          // queue it never reached.
          const own = (a, q) => ((a.handling || {})[q] || {}).state || a.state;
          function age(ms) {
            const s = Math.max(0, Math.floor(ms / 1000));
            const p = n => String(n).padStart(2, "0");
            if (s < 60) return s + "s";
            if (s < 3600) return Math.floor(s / 60) + "m " + p(s % 60) + "s";
            if (s < 86400) return Math.floor(s / 3600) + "h " + p(Math.floor(s % 3600 / 60)) + "m";
            return Math.floor(s / 86400) + "d " + Math.floor(s % 86400 / 3600) + "h";
          }
          function tick() {
            for (const el of document.querySelectorAll("[data-since]")) el.textContent = age(Date.now() - Date.parse(el.dataset.since));
          }
          function ages() { tick(); setInterval(tick, 1000); }
          function toast(text) {
            const t = document.createElement("div"); t.className = "toast"; t.textContent = text; t.setAttribute("role", "status");
            document.body.appendChild(t); setTimeout(() => t.remove(), 6000);
          }
          // The session's CSRF token (docs/TRUST.md): every mutating request sends it as X-CSRF-Token.
          let csrf = null;
          async function csrfToken() {
            if (csrf === null) {
              const r = await fetch("/api/v1/me", {credentials: "same-origin"});
              csrf = r.ok ? ((await r.json().catch(() => ({}))).csrf_token || "") : "";
            }
            return csrf;
          }
          async function api(method, path, body) {
            const headers = body ? {"Content-Type": "application/json"} : {};
            if (method !== "GET") headers["X-CSRF-Token"] = await csrfToken();
            const r = await fetch(path, {method, credentials: "same-origin", headers, body: body ? JSON.stringify(body) : undefined});
            if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); throw new Error("signed out"); }
            const json = await r.json().catch(() => ({}));
            return {status: r.status, json};
          }
          function live(on) {
            const el = document.getElementById("live");
            if (!el) return;
            el.classList.toggle("off", !on); el.textContent = on ? T["console.live"] : T["console.reconnecting"];
          }
          let sound = false;
          function beep() {
            if (!sound) return;
            try {
              const ctx = new AudioContext();
              [0, 0.35, 0.7].forEach(t => {
                const o = ctx.createOscillator(), g = ctx.createGain();
                o.frequency.value = 880; o.connect(g); g.connect(ctx.destination);
                g.gain.setValueAtTime(0.3, ctx.currentTime + t); g.gain.setValueAtTime(0, ctx.currentTime + t + 0.2);
                o.start(ctx.currentTime + t); o.stop(ctx.currentTime + t + 0.25);
              });
            } catch (e) { /* no audio device */ }
          }
          let alarmID = null;
          const title = document.title;
          function clearAlarm() {
            alarmID = null;
            document.getElementById("banner").hidden = true;
            document.title = title;
          }
          // The banner stays until someone says "Seen" or the alert is handled (here or on any other console); on a
          // queue's page, handled by that queue (`state`).
          function handled(a, state) { if (a.id === alarmID && (state ?? a.state) !== "open") clearAlarm(); }
          function alarm(a) {
            alarmID = a.id;
            const b = document.getElementById("banner");
            b.innerHTML = `<span>${esc(T["console.newCritical"])} · ${esc(a.id)} · ${esc(nm("kind", a.breach))} · ${esc(a.dossier)}${a.radex ? " · RADEX" : ""}</span>
              <a href="/console/alert/${encodeURIComponent(a.id)}"><button>${esc(T["console.open"])}</button></a><button id="banner-ok">${esc(T["console.seen"])}</button>`;
            b.hidden = false;
            document.getElementById("banner-ok").onclick = clearAlarm;
            document.title = "‼ " + a.id + " · Seinhuis";
            beep();
          }
          function setupSound() {
            const box = document.getElementById("sound");
            if (!box) return;
            box.checked = sound = localStorage.getItem("seinhuis.sound") === "1";
            box.onchange = () => { sound = box.checked; localStorage.setItem("seinhuis.sound", sound ? "1" : "0"); if (sound) beep(); };
          }
          // The buttons for acting for queue `q`: none once that queue has closed the alert, acknowledge while it is open.
          function buttons(a, q) {
            const st = own(a, q);
            if (st === "closed") return "";
            const attrs = `data-id="${esc(a.id)}" data-queue="${esc(q)}"`;
            return (st === "open" ? `<button data-act="ack" ${attrs}>${esc(T["console.ack"])}</button>` : "")
              + `<button data-act="respond" ${attrs}>${esc(T["console.respond"])}</button><button data-act="close" ${attrs}>${esc(T["console.close"])}</button>`;
          }
          // The dialog for a measure or a close; resolves with the body to send, or null.
          function ask(id, verb, q) {
            const d = document.getElementById("act"), sel = document.getElementById("act-measure");
            document.getElementById("act-title").textContent = verb === "close" ? tr("console.closeOn", id, nm("queue", q)) : tr("console.measureOn", id, nm("queue", q));
            document.getElementById("act-ok").textContent = verb === "close" ? T["console.closeAlert"] : T["console.record"];
            sel.value = verb === "close" ? "" : "phone_call";
            sel.options[0].disabled = verb !== "close";
            document.getElementById("act-note").value = "";
            document.getElementById("act-error").hidden = true;
            d.showModal();
            return new Promise(resolve => {
              d.onclose = () => {
                if (d.returnValue !== "ok") return resolve(null);
                const body = {};
                if (sel.value) body.measure = sel.value;
                const note = document.getElementById("act-note").value.trim();
                if (note) body.note = note;
                resolve(body);
              };
            });
          }
          // Acts for queue `q` (PROTOCOL 4.4: the body names it; the server refuses another role's queue). A refusal
          // shows the server's reason.
          async function act(id, verb, q, onDone, onError) {
            let body = {};
            if (verb !== "ack") { body = await ask(id, verb, q); if (!body) return; }
            body.queue = q;
            const r = await api("POST", `/api/v1/alerts/${encodeURIComponent(id)}/${verb}`, body);
            if (r.status !== 200) {
              const why = `${T["console.refused"]} (${r.status}): ${r.json.error || T["console.noReason"]}`;
              toast(why); if (onError) onError(why); return;
            }
            onDone(r.json.alert);
          }
          function follow(queue, onAlert, onOpen) {
            const es = new EventSource("/api/v1/stream?queue=" + encodeURIComponent(queue));
            es.onopen = () => { live(true); onOpen && onOpen(); };
            es.onerror = () => live(false);
            es.addEventListener("alert", ev => onAlert(JSON.parse(ev.data)));
            return es;
          }

        """#

    /// The live queue: each row shows the queue's own handling state (the summary in its tooltip).
    static let scriptQueue = #"""
          function queue(q) {
            const alerts = new Map();
            const fresh = new Set();
            let loaded = false;
            const showClosed = document.getElementById("show-closed");
            showClosed.checked = localStorage.getItem("seinhuis.closed") === "1";
            showClosed.onchange = () => { localStorage.setItem("seinhuis.closed", showClosed.checked ? "1" : "0"); render(); };
            setupSound();
            function order(a, b) {
              const ca = own(a, q) === "closed", cb = own(b, q) === "closed";
              if (ca !== cb) return ca ? 1 : -1;
              const s = (SEV[a.severity] ?? 9) - (SEV[b.severity] ?? 9);
              if (s) return s;
              return a.id < b.id ? 1 : -1;  // newest first: ids grow with time
            }
            // (1.1) A network incident's alerts right under it (PROTOCOL 4.5), in their own order.
            function grouped(list) {
              const ids = new Set(list.map(a => a.id)), members = new Map(), top = [];
              for (const a of list) {
                if (a.incident && ids.has(a.incident)) (members.get(a.incident) || members.set(a.incident, []).get(a.incident)).push(a);
                else top.push(a);
              }
              return top.flatMap(a => [[a, false], ...(members.get(a.id) || []).map(m => [m, true])]);
            }
            function row([a, member]) {
              const st = own(a, q);
              const cls = `sev-row-${esc(a.severity)} row-${esc(st)}${fresh.has(a.id) ? " new" : ""}${member ? " member" : ""}`;
              const where = a.network ? `${esc(a.network)} · ${esc(tr("console.incidentDevices", (a.devices || []).length))}` : esc(a.zone ?? "—");
              return `<tr id="row-${esc(a.id)}" class="${cls}" data-state="${esc(st)}" data-summary="${esc(a.state)}"${member ? ` data-incident="${esc(a.incident)}"` : ""}>
                <td class="bar"></td>
                <td>${member ? "↳ " : ""}<a class="alert-link" href="/console/alert/${encodeURIComponent(a.id)}">${esc(a.id)}</a></td>
                <td><span class="sev sev-${esc(a.severity)}">${esc(nm("severity", a.severity))}</span> ${esc(nm("kind", a.breach))}</td>
                <td>${esc(a.dossier ?? "—")} ${a.radex ? '<span class="radex">RADEX</span>' : ""}</td>
                <td>${where}</td>
                <td class="age" data-since="${esc(a.detected_at)}">${age(Date.now() - Date.parse(a.detected_at))}</td>
                <td class="num">${a.escalation > 0 ? `<span class="esc" title="${esc(T["console.escalated"])}">↑${a.escalation}</span>` : "0"}</td>
                <td><span class="state state-${esc(st)}" data-field="state" title="${esc(nm("queue", q))}: ${esc(nm("state", st))} · ${esc(T["console.summary"])}: ${esc(nm("state", a.state))}">${esc(nm("state", st))}</span>${a.cleared_at ? ` <span class="muted" title="${esc(T["console.clearedHint"])}">${esc(T["console.cleared"])}</span>` : ""}</td>
                <td class="actions">${buttons(a, q)}</td></tr>`;
            }
            function render() {
              const list = [...alerts.values()].filter(a => showClosed.checked || own(a, q) !== "closed").sort(order);
              const open = list.filter(a => own(a, q) === "open").length;
              const crit = list.filter(a => own(a, q) === "open" && a.severity === "critical").length;
              document.getElementById("counts").textContent = tr("console.counts", open)
                + (crit ? ", " + tr("console.countsCritical", crit) : "") + " · " + tr("console.countsShown", list.length);
              document.getElementById("rows").innerHTML = list.length ? grouped(list).map(row).join("")
                : `<tr class="empty"><td colspan="9">${esc(T["console.empty"])}</td></tr>`;
            }
            function upsert(a, isLive) {
              const known = alerts.has(a.id);
              alerts.set(a.id, a);
              handled(a, own(a, q));
              if (isLive && !known && loaded) {
                fresh.add(a.id); setTimeout(() => { fresh.delete(a.id); }, 4000);
                if (a.severity === "critical") alarm(a);
              }
              render();
            }
            async function load() {
              const base = `/api/v1/alerts?queue=${encodeURIComponent(q)}&order=newest`;
              const [active, recent] = await Promise.all([api("GET", base + "&state=active&limit=2000"), api("GET", base + "&limit=200")]);
              for (const a of [...(recent.json || []), ...(active.json || [])]) alerts.set(a.id, a);
              loaded = true; render();
            }
            document.getElementById("rows").addEventListener("click", ev => {
              const b = ev.target.closest("button[data-act]");
              if (b) act(b.dataset.id, b.dataset.act, b.dataset.queue, a => upsert(a, false));
            });
            follow(q, a => upsert(a, true), load);
            setInterval(tick, 1000);
          }

        """#

    static let scriptReviews = #"""
          function reviews() {
            const form = document.getElementById("review-form");
            ages();
            if (!form) return;
            const err = document.getElementById("rv-error");
            document.addEventListener("click", ev => {
              const b = ev.target.closest("button[data-record]");
              if (!b) return;
              document.getElementById("rv-dossier").value = b.dataset.record;
              for (const tr of document.querySelectorAll("tr.picked")) tr.classList.remove("picked");
              b.closest("tr").classList.add("picked");
              document.getElementById("rv-reviewer").focus();
            });
            form.addEventListener("submit", async ev => {
              ev.preventDefault();
              const v = id => document.getElementById(id).value;
              const body = {reviewer: v("rv-reviewer"), date: v("rv-date"), decision: v("rv-decision"), findings: v("rv-findings")};
              const r = await api("POST", "/api/v1/dossiers/" + encodeURIComponent(v("rv-dossier")) + "/reviews", body);
              if (r.status === 201) { toast(tr("review.recordedFor", v("rv-dossier"))); setTimeout(() => location.reload(), 600); return; }
              err.textContent = r.json.error || `${T["console.refused"]} (${r.status})`; err.hidden = false;
            });
          }
          // The language picker in the navigation: the account's preference (PUT /api/v1/me/language, audited).
          function nav() {
            const pick = document.getElementById("lang-pick");
            if (!pick) return;
            pick.onchange = async () => {
              const r = await api("PUT", "/api/v1/me/language", {language: pick.value});
              if (r.status === 200) { location.reload(); return; }
              toast(`${T["console.refused"]} (${r.status}): ${r.json.error || T["console.noReason"]}`);
            };
          }
          return {queue, detail, ages, reviews, login, map, nav, incident, survey};
        })();
        """#
}
