extension Assets {
    /// The survey form (`/console/survey`): one score per question and the comment, posted as JSON to
    /// `POST /api/v1/surveys/{id}/answers`; a refusal shows the server's reason.
    static let scriptSurvey = #"""
          function survey() {
            const form = document.getElementById("survey-form");
            if (!form) return;
            const err = document.getElementById("sv-error");
            form.addEventListener("submit", async ev => {
              ev.preventDefault();
              const answers = [...form.querySelectorAll("fieldset[data-question]")].map(fs => {
                const c = fs.querySelector("input:checked");
                return c ? Number(c.value) : 0;
              });
              const r = await api("POST", form.dataset.action, {answers, comment: document.getElementById("sv-comment").value});
              if (r.status === 201) { form.hidden = true; document.getElementById("sv-done").hidden = false; return; }
              err.textContent = r.json.error || ("(" + r.status + ")"); err.hidden = false;
            });
          }

        """#
}
