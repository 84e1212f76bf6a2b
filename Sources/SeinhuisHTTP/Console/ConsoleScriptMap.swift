extension Assets {
    /// The live map: asks `GET /api/v1/map?svg=1` every `every` ms and puts the server's SVG and the device table in
    /// place (no drawing in the browser: one renderer, `SVGMap`). A failed poll turns the badge red; the next one
    /// tries again.
    static let scriptMap = #"""
          function map(every) {
            const box = document.getElementById("map-svg"), rows = document.getElementById("map-rows");
            const counts = document.getElementById("map-counts");
            const row = d => {
              const b = (d.breaches || [])[0];
              const breach = b ? `<a class="alert-link" href="/console/alert/${encodeURIComponent(b.alert)}">${esc(b.alert)}</a> <span class="sev sev-${esc(b.severity)}">${esc(nm("severity", b.severity))}</span> ${esc(nm("kind", b.breach))}` : "";
              const f = d.fix;
              const cells = f ? `<td><span class="age" data-since="${esc(f.ts)}">${age(Date.now() - Date.parse(f.ts))}</span> ${esc(T["map.ago"])}</td>`
                + `<td class="num">±${Math.round(f.acc)} m</td><td>${f.lat.toFixed(5)}, ${f.lon.toFixed(5)}</td>`
                : `<td class="muted" colspan="3">${esc(T["map.noFix"])}</td>`;
              const radex = d.radex ? ' <span class="radex">RADEX</span>' : "";
              return `<tr data-device="${esc(d.device)}"${b ? ` class="sev-row-${esc(b.severity)} row-open"` : ""}><td>${esc(d.device)}</td><td>${esc(d.dossier)}${radex}</td><td>${breach}</td>${cells}</tr>`;
            };
            async function poll() {
              try {
                const r = await api("GET", "/api/v1/map?svg=1");
                if (r.status !== 200 || !r.json.svg) throw new Error("map " + r.status);
                box.innerHTML = r.json.svg;
                const ds = r.json.devices || [];
                rows.innerHTML = ds.length ? ds.map(row).join("") : `<tr class="empty"><td colspan="6">${esc(T["map.noDevices"])}</td></tr>`;
                const open = ds.filter(d => (d.breaches || []).length).length;
                counts.textContent = `${ds.length} · ${open} ${T["map.breach"].toLowerCase()}`;
                live(true);
              } catch (e) {
                live(false);
              }
              setTimeout(poll, every);
            }
            ages();
            poll();
          }

        """#
}
