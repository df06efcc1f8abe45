import { useEffect, useState, type FormEvent } from "react";
import type { PublicConference } from "../../../shared/commands.ts";
import type { Attendance } from "../../../shared/roles.ts";
import { getConference, joinConference } from "../api.ts";
import { errorKey } from "../components/Notices.tsx";
import { PlainTopBar } from "../components/TopBar.tsx";
import { useI18n } from "../i18n/index.ts";
import { saveToken } from "../live/token.ts";
import { navigate } from "../navigation.ts";
import { AttendanceChoice } from "../people/AttendanceChoice.tsx";
import { JoinCodeField } from "../people/JoinCodeField.tsx";

const PROFILE_KEY = "giaoban.profile";

/** Name and organisation typed last time on this device, to save typing at the next meeting. */
function lastProfile(): { name: string; organisation: string } {
  try {
    const parsed = JSON.parse(localStorage.getItem(PROFILE_KEY) ?? "{}") as { name?: unknown; organisation?: unknown };
    return {
      name: typeof parsed.name === "string" ? parsed.name : "",
      organisation: typeof parsed.organisation === "string" ? parsed.organisation : "",
    };
  } catch {
    return { name: "", organisation: "" };
  }
}

/** `/c/:id/join?code=…`: a delegate gives their name and joins. */
export function JoinPage({ conferenceId }: { conferenceId: string }) {
  const { t, fmt } = useI18n();
  const [conference, setConference] = useState<PublicConference | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState(() => lastProfile().name);
  const [organisation, setOrganisation] = useState(() => lastProfile().organisation);
  const [attendance, setAttendance] = useState<Attendance>("hall");
  const [joinCode, setJoinCode] = useState(() => new URLSearchParams(window.location.search).get("code") ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hasToken = (() => {
    try {
      return localStorage.getItem(`giaoban.token.${conferenceId}`) !== null;
    } catch {
      return false;
    }
  })();

  useEffect(() => {
    let cancelled = false;
    void getConference(conferenceId).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        setConference(result.value);
        document.title = result.value.title;
      } else setLoadError(result.code === "not_found" ? "join.notFound" : errorKey(result.code));
    });
    return () => {
      cancelled = true;
    };
  }, [conferenceId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await joinConference(conferenceId, {
      joinCode: joinCode.trim(),
      name: name.trim(),
      organisation: organisation.trim() || undefined,
      attendance,
    });
    setBusy(false);
    if (!result.ok) {
      setError(
        result.code === "forbidden" ? "join.wrongCode" : result.code === "conflict" ? "join.ended" : errorKey(result.code),
      );
      return;
    }
    try {
      localStorage.setItem(PROFILE_KEY, JSON.stringify({ name: name.trim(), organisation: organisation.trim() }));
    } catch {
      /* not remembered */
    }
    saveToken(conferenceId, result.value.token);
    navigate(`/c/${conferenceId}`);
  };

  return (
    <div className="page page--narrow">
      <PlainTopBar />
      <main id="main">
        {loadError ? (
          <div className="card message">
            <h1>{t(loadError)}</h1>
            <p>
              <a href="/">{t("notFound.home")}</a>
            </p>
          </div>
        ) : (
          <form className="card form" onSubmit={submit} aria-busy={!conference}>
            <p className="eyebrow">{t("join.eyebrow")}</p>
            <h1 className="join__title">{conference ? conference.title : t("join.loading")}</h1>
            {conference && (
              <p className="muted">
                {[conference.organisation, conference.venue, conference.startsAt ? fmt.dateTime(conference.startsAt) : ""]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
            )}
            {hasToken && (
              <p className="hint">
                {t("join.already")}{" "}
                <a href={`/c/${conferenceId}`}>{t("join.continue")}</a>
              </p>
            )}
            <label className="field">
              <span>{t("join.name")} *</span>
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoComplete="name" />
            </label>
            <label className="field">
              <span>{t("join.organisation")}</span>
              <input value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={200} autoComplete="organization" />
            </label>
            <AttendanceChoice className="field" legend={t("join.where")} name="attendance" value={attendance} onChange={setAttendance} />
            <JoinCodeField value={joinCode} onChange={setJoinCode} />
            {error && (
              <p className="form__error" role="alert">
                {t(error)}
              </p>
            )}
            <button type="submit" className="btn btn--primary btn--large btn--block" disabled={busy || !name.trim() || !joinCode.trim()}>
              {busy ? t("join.joining") : t("join.submit")}
            </button>
          </form>
        )}
      </main>
    </div>
  );
}
