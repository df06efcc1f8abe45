import { useState, type FormEvent } from "react";
import { lookUpJoinCode } from "../api.ts";
import { errorKey } from "../components/Notices.tsx";
import { PlainTopBar } from "../components/TopBar.tsx";
import { useI18n } from "../i18n/index.ts";
import { joinPath } from "../model/routes.ts";
import { navigate } from "../navigation.ts";
import { JoinCodeField } from "../people/JoinCodeField.tsx";

/** `/join`: a delegate types the code from the hall's screen, then gives their name on the conference's join page. */
export function JoinCodePage() {
  const { t } = useI18n();
  const [joinCode, setJoinCode] = useState(() => new URLSearchParams(window.location.search).get("code") ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const code = joinCode.trim();
    const result = await lookUpJoinCode(code);
    setBusy(false);
    if (!result.ok) {
      setError(result.code === "forbidden" ? "join.wrongCode" : errorKey(result.code));
      return;
    }
    navigate(joinPath(result.value.conferenceId, code));
  };

  return (
    <div className="page page--narrow">
      <PlainTopBar />
      <main id="main">
        <form className="card form" onSubmit={submit}>
          <h1 className="join__title">{t("joinCode.title")}</h1>
          <p className="hint" id="join-code-hint">
            {t("joinCode.hint")}
          </p>
          <JoinCodeField value={joinCode} onChange={setJoinCode} autoFocus describedBy="join-code-hint" />
          {error && (
            <p className="form__error" role="alert">
              {t(error)}
            </p>
          )}
          <button type="submit" className="btn btn--primary btn--large btn--block" disabled={busy || !joinCode.trim()}>
            {busy ? t("joinCode.checking") : t("joinCode.submit")}
          </button>
        </form>
      </main>
    </div>
  );
}
