/// The console's one stylesheet and one script, served from memory (no build step, nothing external).
enum Assets {
    static let css = """
        :root{--bg:#f4f5f7;--fg:#1f2933;--muted:#6b7280;--line:#d9dde3;--card:#fff;--crit:#c81e1e;--high:#e8590c;
        --med:#d4a106;--low:#2f80c9;--ok:#15803d;--radex:#6d28d9}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
        main{padding:16px 24px;max-width:1400px;margin:0 auto}h1{font-size:22px;margin:0 12px 0 0}h2{font-size:16px;margin:20px 0 8px}h3{font-size:14px;margin:12px 0 6px}
        nav.top{display:flex;gap:4px;align-items:center;background:#111827;color:#e5e7eb;padding:0 16px;height:44px}
        nav.top a{color:#cbd5e1;text-decoration:none;padding:12px 10px}nav.top a.active,nav.top a:hover{color:#fff;background:#1f2937}
        .brand{font-weight:700;margin-right:16px;color:#fff}.who{margin-left:auto;color:#9ca3af}
        form.inline{display:inline}button.link{background:none;border:0;color:#93c5fd;cursor:pointer;font:inherit}
        button{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}
        button:hover{border-color:#9ca3af}button.primary{background:#1d4ed8;color:#fff;border-color:#1d4ed8}
        button[data-act=ack]{background:#fff7ed;border-color:#fdba74}
        .queue-head,.alert-head{display:flex;flex-wrap:wrap;align-items:center;gap:12px;margin-bottom:12px}
        .alert-head{background:var(--card);padding:12px 16px;border-left:8px solid var(--line);border-radius:4px}
        .sev-border-critical{border-left-color:var(--crit)}.sev-border-high{border-left-color:var(--high)}
        .sev-border-medium{border-left-color:var(--med)}.sev-border-low{border-left-color:var(--low)}
        .qname{font-family:ui-monospace,monospace}.counts,.muted,.hint{color:var(--muted)}.hint{font-size:12px}
        .toggle{color:var(--muted);font-size:13px}
        .live{font-size:12px;padding:2px 8px;border-radius:10px;background:#dcfce7;color:var(--ok)}.live.off{background:#fee2e2;color:var(--crit)}
        table{border-collapse:collapse;background:var(--card);width:100%}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        thead th{background:#eef0f3;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#4b5563}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        table.alerts td{vertical-align:middle}table.alerts tr.empty td{color:var(--muted);text-align:center;padding:24px}
        tr.row-closed{opacity:.55}tr.sev-row-critical.row-open{background:#fef2f2}
        td.bar{width:6px;padding:0}tr.sev-row-critical td.bar{background:var(--crit)}tr.sev-row-high td.bar{background:var(--high)}
        tr.sev-row-medium td.bar{background:var(--med)}tr.sev-row-low td.bar{background:var(--low)}
        .sev{display:inline-block;padding:1px 8px;border-radius:3px;color:#fff;font-size:12px;font-weight:600;text-transform:uppercase}
        .sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med);color:#1f2933}.sev-low{background:var(--low)}
        .radex{display:inline-block;padding:1px 6px;border-radius:3px;background:var(--radex);color:#fff;font-size:11px;font-weight:700;letter-spacing:.05em}
        .state{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;border:1px solid currentColor}
        .state-open{color:var(--crit)}.state-acknowledged{color:var(--high)}.state-responded{color:var(--low)}.state-closed{color:var(--muted)}
        .esc{font-weight:700;color:var(--high)}.age{font-variant-numeric:tabular-nums}
        a.alert-link{font-family:ui-monospace,monospace;color:#1d4ed8;text-decoration:none}
        tr.new td{animation:newrow 1s ease-in-out 4}@keyframes newrow{50%{background:#fde68a}}
        .banner{position:sticky;top:0;z-index:5;background:var(--crit);color:#fff;padding:14px 18px;margin:-16px -24px 12px;font-size:18px;font-weight:700;display:flex;gap:16px;align-items:center;animation:alarm .8s steps(2) infinite}
        .banner[hidden]{display:none}.banner button{font-size:14px}@keyframes alarm{50%{background:#7f1d1d}}
        .actions{display:flex;gap:6px}.alert-head .actions{margin-left:auto}
        .grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px}@media(max-width:1000px){.grid{grid-template-columns:1fr}}
        table.facts th{width:170px;color:#4b5563;font-weight:600;background:none}ul{margin:0;padding-left:18px}
        ol.log{background:var(--card);padding:8px 8px 8px 32px;margin:0}ol.log time{color:var(--muted);font-size:12px}
        tr.at-breach{background:#fef3c7;font-weight:600}table.events{font-size:13px}
        svg.map{background:#eef2e6;border:1px solid var(--line);max-width:100%;height:auto}.map-bg{fill:#eef2e6}
        .zone-exclusion{fill:rgba(200,30,30,.18);stroke:#c81e1e;stroke-width:1.5}.zone-inclusion{fill:rgba(21,128,61,.12);stroke:#15803d;stroke-width:1.5;stroke-dasharray:6 3}
        .zone-breach{stroke-width:3}.home{fill:rgba(37,99,235,.12);stroke:#2563eb;stroke-width:1.5}.home-mark{fill:#2563eb}
        .acc{fill:rgba(234,88,12,.10);stroke:rgba(234,88,12,.6);stroke-width:1}.acc-latest{fill:rgba(234,88,12,.22);stroke:#ea580c;stroke-width:2}
        .fix{fill:#ea580c}.fix-latest{fill:#7c2d12;stroke:#fff;stroke-width:2}.track{fill:none;stroke:#9a3412;stroke-width:1.2;stroke-dasharray:3 3}
        .map-label{font-size:11px;fill:#374151;text-anchor:middle}.scale line{stroke:#111;stroke-width:2}.scale text,.north{font-size:11px;fill:#111}
        .legend-line{font-size:12px;color:var(--muted)}.key{display:inline-block;width:12px;height:12px;border-radius:50%;vertical-align:middle;margin-left:10px}
        .key-home{background:rgba(37,99,235,.3);border:1px solid #2563eb}.key-ex{background:rgba(200,30,30,.3);border:1px solid #c81e1e}
        .key-in{background:rgba(21,128,61,.2);border:1px dashed #15803d}.key-fix{background:rgba(234,88,12,.3);border:1px solid #ea580c}
        svg.chart{background:var(--card);border:1px solid var(--line);max-width:100%;height:auto}.grid line,line.grid{stroke:#e5e7eb}
        .axis,.legend{font-size:11px;fill:#4b5563}.cdf{fill:none;stroke-width:2}.marker{stroke:#6b7280;stroke-dasharray:4 3}
        form.period{display:flex;gap:12px;align-items:end;flex-wrap:wrap;background:var(--card);padding:10px 12px;border:1px solid var(--line)}
        form.period label{display:flex;flex-direction:column;font-size:12px;color:#4b5563}
        .login{max-width:360px;margin:80px auto;background:var(--card);padding:28px;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
        .login h1{margin:0}.login .sub{color:var(--muted);margin:0 0 16px}.login label{display:block;margin:10px 0;font-weight:600}
        .login input{display:block;width:100%;padding:8px;margin-top:4px;font:inherit;border:1px solid var(--line);border-radius:4px}
        .login button{width:100%;padding:8px;margin-top:8px}.error{color:var(--crit);font-weight:600}
        dialog{border:1px solid var(--line);border-radius:6px;padding:18px;min-width:380px}dialog h2{margin-top:0}
        dialog label{display:block;margin:8px 0;font-weight:600}dialog select,dialog textarea{display:block;width:100%;font:inherit;margin-top:4px}
        .buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:12px}
        .toast{position:fixed;bottom:16px;right:16px;background:#111827;color:#fff;padding:10px 14px;border-radius:4px;max-width:480px}
        tr.radex-row td:first-child{border-left:4px solid var(--radex)}
        .review{display:inline-block;padding:1px 6px;border-radius:3px;font-size:11px;font-weight:700;text-transform:uppercase;color:#fff}
        .review-overdue{background:var(--crit)}.review-due{background:var(--med);color:#1f2933}.review-ok{background:var(--ok)}
        .review-none{background:#e5e7eb;color:var(--muted);text-transform:none;font-weight:400}.review-when{font-size:12px;color:var(--muted);white-space:nowrap}
        .decision{font-weight:600}.findings{white-space:pre-wrap;margin:4px 0;max-width:60ch}details summary{cursor:pointer;color:var(--muted);font-size:12px}
        .record-review{background:var(--card);border:1px solid var(--line);padding:10px 14px;margin:16px 0}.record-review h2{margin:0 0 6px}
        #review-form{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end}#review-form label{font-weight:600}
        #review-form input,#review-form select,#review-form textarea{display:block;font:inherit;margin-top:4px}
        #review-form .wide{flex-basis:100%}#review-form textarea{width:100%}#review-form .error,#review-form .buttons{flex-basis:100%;margin:0}
        tr.picked{outline:2px solid var(--radex)}table.reviews{table-layout:fixed}table.reviews .c-id{width:150px}
        table.reviews .c-subject{width:120px}table.reviews .c-radex{width:80px}table.reviews .c-review{width:310px}table.reviews .c-link{width:100px}
        """

    static let js = #"""
        "use strict";
        const Console = (() => {
          const SEV = {critical: 0, high: 1, medium: 2, low: 3};
          const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
          const words = s => String(s ?? "").replace(/_/g, " ");
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
          async function api(method, path, body) {
            const r = await fetch(path, {method, credentials: "same-origin",
              headers: body ? {"Content-Type": "application/json"} : {}, body: body ? JSON.stringify(body) : undefined});
            if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); throw new Error("signed out"); }
            const json = await r.json().catch(() => ({}));
            return {status: r.status, json};
          }
          function live(on) {
            const el = document.getElementById("live");
            if (!el) return;
            el.classList.toggle("off", !on); el.textContent = on ? "live" : "reconnecting…";
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
          // The banner stays until someone says "Seen" or the alert is handled (here or on any other console).
          function handled(a) { if (a.id === alarmID && a.state !== "open") clearAlarm(); }
          function alarm(a) {
            alarmID = a.id;
            const b = document.getElementById("banner");
            b.innerHTML = `<span>NEW CRITICAL ALERT · ${esc(a.id)} · ${esc(words(a.breach))} · ${esc(a.dossier)}${a.radex ? " · RADEX" : ""}</span>
              <a href="/console/alert/${encodeURIComponent(a.id)}"><button>Open</button></a><button id="banner-ok">Seen</button>`;
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
          function buttons(a) {
            if (a.state === "closed") return "";
            const id = esc(a.id);
            return (a.state === "open" ? `<button data-act="ack" data-id="${id}">Acknowledge</button>` : "")
              + `<button data-act="respond" data-id="${id}">Measure…</button><button data-act="close" data-id="${id}">Close…</button>`;
          }
          // The dialog for a measure or a close; resolves with the body to send, or null.
          function ask(id, verb) {
            const d = document.getElementById("act"), sel = document.getElementById("act-measure");
            document.getElementById("act-title").textContent = (verb === "close" ? "Close " : "Record a measure on ") + id;
            document.getElementById("act-ok").textContent = verb === "close" ? "Close alert" : "Record";
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
          async function act(id, verb, onDone) {
            let body = {};
            if (verb !== "ack") { body = await ask(id, verb); if (!body) return; }
            const r = await api("POST", `/api/v1/alerts/${encodeURIComponent(id)}/${verb}`, body);
            if (r.status !== 200) { toast(r.json.error || ("refused: " + r.status)); return; }
            onDone(r.json.alert);
          }
          function follow(queue, onAlert, onOpen) {
            const es = new EventSource("/api/v1/stream?queue=" + encodeURIComponent(queue));
            es.onopen = () => { live(true); onOpen && onOpen(); };
            es.onerror = () => live(false);
            es.addEventListener("alert", ev => onAlert(JSON.parse(ev.data)));
            return es;
          }

          function queue(q) {
            const alerts = new Map();
            const fresh = new Set();
            let loaded = false;
            const showClosed = document.getElementById("show-closed");
            showClosed.checked = localStorage.getItem("seinhuis.closed") === "1";
            showClosed.onchange = () => { localStorage.setItem("seinhuis.closed", showClosed.checked ? "1" : "0"); render(); };
            setupSound();
            function order(a, b) {
              const ca = a.state === "closed", cb = b.state === "closed";
              if (ca !== cb) return ca ? 1 : -1;
              const s = (SEV[a.severity] ?? 9) - (SEV[b.severity] ?? 9);
              if (s) return s;
              return a.id < b.id ? 1 : -1;  // newest first: ids grow with time
            }
            function row(a) {
              const cls = `sev-row-${esc(a.severity)} row-${esc(a.state)}${fresh.has(a.id) ? " new" : ""}`;
              return `<tr id="row-${esc(a.id)}" class="${cls}" data-state="${esc(a.state)}">
                <td class="bar"></td>
                <td><a class="alert-link" href="/console/alert/${encodeURIComponent(a.id)}">${esc(a.id)}</a></td>
                <td><span class="sev sev-${esc(a.severity)}">${esc(a.severity)}</span> ${esc(words(a.breach))}</td>
                <td>${esc(a.dossier)} ${a.radex ? '<span class="radex">RADEX</span>' : ""}</td>
                <td>${esc(a.zone ?? "—")}</td>
                <td class="age" data-since="${esc(a.detected_at)}">${age(Date.now() - Date.parse(a.detected_at))}</td>
                <td class="num">${a.escalation > 0 ? `<span class="esc" title="escalated">↑${a.escalation}</span>` : "0"}</td>
                <td><span class="state state-${esc(a.state)}" data-field="state">${esc(a.state)}</span>${a.cleared_at ? ' <span class="muted" title="the breach has ended">cleared</span>' : ""}</td>
                <td class="actions">${buttons(a)}</td></tr>`;
            }
            function render() {
              const list = [...alerts.values()].filter(a => showClosed.checked || a.state !== "closed").sort(order);
              const open = list.filter(a => a.state === "open").length;
              const crit = list.filter(a => a.state === "open" && a.severity === "critical").length;
              document.getElementById("counts").textContent = `${open} open${crit ? `, ${crit} critical` : ""} · ${list.length} shown`;
              document.getElementById("rows").innerHTML = list.length ? list.map(row).join("")
                : '<tr class="empty"><td colspan="9">No alerts to handle. New alerts appear here by themselves.</td></tr>';
            }
            function upsert(a, isLive) {
              const known = alerts.has(a.id);
              alerts.set(a.id, a);
              handled(a);
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
              if (b) act(b.dataset.id, b.dataset.act, a => upsert(a, false));
            });
            follow(q, a => upsert(a, true), load);
            setInterval(tick, 1000);
          }

          function detail(alert, q) {
            let current = alert;
            const box = document.getElementById("detail-actions");
            function show(a) {
              current = a;
              handled(a);
              box.innerHTML = buttons(a);
              const st = document.querySelector(".alert-head [data-field=state]");
              st.className = "state state-" + a.state; st.textContent = a.state;
              const e = document.querySelector("[data-field=escalation]"); if (e) e.textContent = a.escalation;
            }
            async function refreshLog() {
              const r = await api("GET", "/api/v1/alerts/" + encodeURIComponent(current.id));
              if (r.status !== 200) return;
              show(r.json.alert);
              const log = document.getElementById("log");
              log.innerHTML = r.json.actions.length ? r.json.actions.map(x => `<li><time>${esc(x.at)}</time> <strong>${esc(x.by)}</strong> ${esc(x.action)}${
                x.measure || x.note ? ": " + [x.measure && words(x.measure), x.note].filter(Boolean).map(esc).join(" — ") : ""}</li>`).join("")
                : '<li class="muted">Nothing recorded yet.</li>';
            }
            box.addEventListener("click", ev => {
              const b = ev.target.closest("button[data-act]");
              if (b) act(b.dataset.id, b.dataset.act, a => { show(a); refreshLog(); });
            });
            show(alert);
            follow(q, a => {
              if (a.id === current.id) { show(a); refreshLog(); }
              else if (a.severity === "critical" && a.state === "open" && a.escalation === 0) alarm(a);
              else handled(a);
            }, refreshLog);
            ages();
          }
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
              if (r.status === 201) { toast("Review recorded for " + v("rv-dossier")); setTimeout(() => location.reload(), 600); return; }
              err.textContent = r.json.error || ("Refused (" + r.status + ")"); err.hidden = false;
            });
          }
          return {queue, detail, ages, reviews};
        })();
        """#
}
