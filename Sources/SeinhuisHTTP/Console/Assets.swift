/// The console's one stylesheet and one script (`ConsoleScript.swift`), served from memory (no build step, nothing
/// external).
enum Assets {
    static let css = """
        :root{--bg:#f4f5f7;--fg:#1f2933;--muted:#6b7280;--line:#d9dde3;--card:#fff;--crit:#c81e1e;--high:#e8590c;
        --med:#d4a106;--low:#2f80c9;--ok:#15803d;--radex:#6d28d9}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
        main{padding:16px 24px;max-width:1400px;margin:0 auto}h1{font-size:22px;margin:0 12px 0 0}h2{font-size:16px;margin:20px 0 8px}h3{font-size:14px;margin:12px 0 6px}
        nav.top{display:flex;gap:4px;align-items:center;background:#111827;color:#e5e7eb;padding:0 16px;height:44px}
        nav.top a{color:#cbd5e1;text-decoration:none;padding:12px 10px}nav.top a.active,nav.top a:hover{color:#fff;background:#1f2937}
        .brand{font-weight:700;margin-right:16px;color:#fff}.who{margin-left:auto;color:#9ca3af}
        label.lang{margin:0 10px;font-size:12px}label.lang select{font:inherit;background:#1f2937;color:#e5e7eb;border:1px solid #374151;border-radius:3px}
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
        .handling-box{margin-bottom:16px}table.handling td{vertical-align:middle}table.handling tr.mine{background:#eff6ff}
        .dev-dot{fill:#1d4ed8;stroke:#fff;stroke-width:2}.device .acc{fill:rgba(29,78,216,.12);stroke:rgba(29,78,216,.6)}
        .device-breach .dev-dot{fill:var(--crit)}.device-breach .acc{fill:rgba(200,30,30,.15);stroke:var(--crit);stroke-width:2}
        .device-breach .dev-label{fill:var(--crit);font-weight:700}.device-outage .dev-dot{fill:#9ca3af;stroke-dasharray:2 2}
        .prot-mark{fill:#7c3aed;stroke:#fff;stroke-width:2}.protected .acc{fill:rgba(124,58,237,.10);stroke:rgba(124,58,237,.5)}
        .prot-label{fill:#7c3aed;font-weight:700}
        .incident{border:1px solid var(--line,#ccc);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}.incident-form label{margin-right:1rem}
        .members tr.radex td{background:rgba(200,30,30,.06)}.incident-link{margin:.5rem 0}
        tr.member td:nth-child(2){padding-left:1.5rem}.key-dev{background:#1d4ed8;border:1px solid #fff}.en{color:var(--muted);font-weight:400}
        table.handling time{font-size:12px}.after{color:var(--muted);font-size:12px}.log-queue{color:var(--muted);font-size:12px}
        """
}
