extension Assets {
    /// The login form: posted as JSON (`POST /login`, the request guard refuses a form's body), then the browser goes
    /// to the `location` of the answer; a refusal (401, or 429 while throttled) shows the server's reason.
    static let scriptSignIn = #"""
          function login() {
            const form = document.getElementById("login"), err = document.getElementById("login-error");
            form.addEventListener("submit", async ev => {
              ev.preventDefault();
              const v = id => document.getElementById(id).value;
              const next = form.querySelector("input[name=next]");
              const body = {user: v("user"), password: v("password")};
              if (next) body.next = next.value;
              const r = await fetch("/login", {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)}).catch(() => null);
              const json = r ? await r.json().catch(() => ({})) : {};
              if (r && r.status === 200 && json.location) { csrf = json.csrf_token; location.href = json.location; return; }
              err.textContent = json.error || (r ? tr("console.signInRefused", r.status) : T["console.noAnswer"]);
              err.hidden = false;
            });
          }

        """#
}
