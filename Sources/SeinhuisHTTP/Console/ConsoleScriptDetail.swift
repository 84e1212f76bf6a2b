extension Assets {
    /// The alert detail: the summary badge at the top, each queue's handling (`HandlingTable`, rendered again on every
    /// live update) with the buttons of the queues the user acts for (`mine`: a role's one queue; an administrator's
    /// every queue, so one set per row), and the action log.
    static let scriptDetail = #"""
          function detail(alert, q, mine, actions) {
            let current = alert, log = actions || [];
            const err = document.getElementById("detail-error");
            function fail(why) { err.textContent = why; err.hidden = false; }
            const time = t => t ? `<time datetime="${esc(t)}">${esc(when(t))}</time>` : esc(T["common.none"]);
            function handlingRow(a, queue, h) {
              const yours = mine.includes(queue);
              const latest = [...log].reverse().find(x => (x.queue || "vcet") === queue && x.measure);
              const measure = latest ? latest.measure : h.measure;
              let first = time(h.first_measure_at);
              if (h.first_measure_at) {
                first += ` <span class="after">+${age(Date.parse(h.first_measure_at) - Date.parse(a.detected_at))} ${esc(T["console.afterDetection"])}</span>`;
              }
              if (h.measure) first += " · " + esc(nm("measure", h.measure));
              return `<tr data-queue="${esc(queue)}" data-state="${esc(h.state)}"${yours ? ' class="mine"' : ""}>`
                + `<td>${esc(nm("queue", queue))}${yours && mine.length === 1 ? ` <span class="muted">(${esc(T["console.yours"])})</span>` : ""}</td>`
                + `<td><span class="state state-${esc(h.state)}">${esc(nm("state", h.state))}</span></td>`
                + `<td>${time(h.acknowledged_at)}</td><td>${first}</td><td>${measure ? esc(nm("measure", measure)) : esc(T["common.none"])}</td>`
                + `<td>${time(h.closed_at)}</td><td class="actions">${yours ? buttons(a, queue) : ""}</td></tr>`;
            }
            function show(a) {
              current = a;
              handled(a);
              document.getElementById("handling-rows").innerHTML =
                Object.entries(a.handling || {}).map(([queue, h]) => handlingRow(a, queue, h)).join("");
              const st = document.querySelector(".alert-head [data-field=state]");
              st.className = "state state-" + a.state; st.textContent = nm("state", a.state); st.dataset.code = a.state;
              const e = document.querySelector("[data-field=escalation]"); if (e) e.textContent = a.escalation;
            }
            async function refreshLog() {
              const r = await api("GET", "/api/v1/alerts/" + encodeURIComponent(current.id));
              if (r.status !== 200) return;
              log = r.json.actions || [];
              show(r.json.alert);
              document.getElementById("log").innerHTML = log.length ? log.map(x => `<li>${time(x.at)} <strong>${esc(x.by)}</strong>${
                x.role ? ` <span class="muted">(${esc(nm("role", x.role))})</span>` : ""} ${esc(nm("action", x.action))}${x.queue ? ` <span class="log-queue">${esc(tr("console.forQueue", nm("queue", x.queue)))}</span>` : ""}${
                x.measure || x.note ? ": " + [x.measure && nm("measure", x.measure), x.note].filter(Boolean).map(esc).join(" — ") : ""}</li>`).join("")
                : `<li class="muted">${esc(T["console.nothingRecorded"])}</li>`;
            }
            document.getElementById("handling").addEventListener("click", ev => {
              const b = ev.target.closest("button[data-act]");
              if (b) act(b.dataset.id, b.dataset.act, b.dataset.queue, a => { err.hidden = true; show(a); refreshLog(); }, fail);
            });
            show(alert);
            follow(q, a => {
              if (a.id === current.id) { show(a); refreshLog(); }
              else if (a.severity === "critical" && a.state === "open" && a.escalation === 0) alarm(a);
              else handled(a);
            }, refreshLog);
            ages();
          }

        """#
}
