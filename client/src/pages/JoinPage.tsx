import { useEffect, useState, type FormEvent } from "react";
import type { PublicConference, RosterParticipant } from "../../../shared/commands.ts";
import { organisationNamed, registrationIsOpen } from "../../../shared/domain/organisations.ts";
import type { Attendance } from "../../../shared/roles.ts";
import type { Organisation } from "../../../shared/state.ts";
import { getConference, getMe, getOrganisations, joinConference } from "../api.ts";
import { errorKey } from "../components/Notices.tsx";
import { PlainTopBar } from "../components/TopBar.tsx";
import { useI18n } from "../i18n/index.ts";
import { forgetToken, saveToken, storedToken } from "../live/token.ts";
import { formatters, INTL_LOCALE } from "../model/format.ts";
import { conferencePath } from "../model/routes.ts";
import { zoneLabel } from "../model/time.ts";
import { navigate } from "../navigation.ts";
import { AttendanceChoice } from "../people/AttendanceChoice.tsx";
import { JoinCodeField } from "../people/JoinCodeField.tsx";
import { OrganisationPicker, resolveChoice, type OrganisationChoice } from "../people/OrganisationPicker.tsx";

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

/** Whether this browser already holds a working link to the conference (so it does not join twice). */
type Returning =
  | { kind: "none" }
  | { kind: "checking" }
  /** The stored token works: who it is. */
  | { kind: "known"; participant: RosterParticipant }
  /** It could not be checked (offline): offer it without a name. */
  | { kind: "unchecked" };

/** `/c/:id/join?code=…`: a delegate gives their name and organisation and joins; or continues as who they already are. */
export function JoinPage({ conferenceId }: { conferenceId: string }) {
  const { t, language } = useI18n();
  const [conference, setConference] = useState<PublicConference | null>(null);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState(() => lastProfile().name);
  const [organisation, setOrganisation] = useState(() => lastProfile().organisation);
  const [choice, setChoice] = useState<OrganisationChoice>({ kind: "none" });
  const [attendance, setAttendance] = useState<Attendance>("hall");
  const [joinCode, setJoinCode] = useState(() => new URLSearchParams(window.location.search).get("code") ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [returning, setReturning] = useState<Returning>(() => (storedToken(conferenceId) ? { kind: "checking" } : { kind: "none" }));
  const [someoneElse, setSomeoneElse] = useState(false);
  const fmt = formatters(INTL_LOCALE[language], conference?.timeZone);

  useEffect(() => {
    let cancelled = false;
    void Promise.all([getConference(conferenceId), getOrganisations(conferenceId)]).then(([found, roster]) => {
      if (cancelled) return;
      if (!found.ok) return setLoadError(found.code === "not_found" ? "join.notFound" : errorKey(found.code));
      setConference(found.value);
      document.title = found.value.title;
      if (roster.ok) {
        setOrganisations(roster.value);
        // Last time's organisation, if it is on this roster, is picked already.
        const known = organisationNamed({ organisations: roster.value }, lastProfile().organisation);
        if (known) setChoice({ kind: "roster", id: known.id });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [conferenceId]);

  // A link already held for this conference: who is it? A dead one is forgotten.
  useEffect(() => {
    const token = storedToken(conferenceId);
    if (!token) return;
    let cancelled = false;
    void getMe(conferenceId, token).then((me) => {
      if (cancelled) return;
      if (me.ok) return setReturning({ kind: "known", participant: me.value });
      if (me.status === 401 || me.status === 404) {
        forgetToken(conferenceId, token);
        return setReturning({ kind: "none" });
      }
      setReturning({ kind: "unchecked" });
    });
    return () => {
      cancelled = true;
    };
  }, [conferenceId]);

  const rosterShown = organisations.length > 0;
  const open = conference ? registrationIsOpen({ conference, organisations }) : true;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const resolved = rosterShown ? resolveChoice(choice, organisation, organisations, fmt.locale) : { organisation: organisation.trim() || undefined };
    if (resolved === "ambiguous") return setError("join.orgAmbiguous");
    setBusy(true);
    setError(null);
    const result = await joinConference(conferenceId, { joinCode: joinCode.trim(), name: name.trim(), attendance, ...resolved });
    setBusy(false);
    if (!result.ok) {
      setError(
        result.code === "forbidden" ? "join.wrongCode" : result.code === "conflict" ? "join.ended" : errorKey(result.code),
      );
      return;
    }
    const organisationName = resolved.organisationId ? (organisations.find((o) => o.id === resolved.organisationId)?.name ?? "") : (resolved.organisation ?? "");
    try {
      localStorage.setItem(PROFILE_KEY, JSON.stringify({ name: name.trim(), organisation: organisationName }));
    } catch {
      /* not remembered */
    }
    saveToken(conferenceId, result.value.token);
    navigate(conferencePath(conferenceId));
  };

  const facts = conference && (
    <div className="join__facts">
      {(conference.organisation || conference.venue) && <p className="muted">{[conference.organisation, conference.venue].filter(Boolean).join(" · ")}</p>}
      {conference.startsAt !== null && (
        <p className="muted">
          {t("join.when", { time: fmt.dateTime(conference.startsAt), zone: zoneLabel(conference.timeZone, conference.startsAt) })}
        </p>
      )}
    </div>
  );

  const continuing = !someoneElse && (returning.kind === "known" || returning.kind === "unchecked");

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
        ) : returning.kind === "checking" && !someoneElse ? (
          <div className="card form join-again" aria-busy="true">
            <p className="eyebrow">{t("join.eyebrow")}</p>
            <h1 className="join__title">{conference ? conference.title : t("join.loading")}</h1>
            <p className="muted" role="status">
              {t("join.checking")}
            </p>
          </div>
        ) : continuing ? (
          <div className="card form join-again">
            <p className="eyebrow">{t("join.eyebrow")}</p>
            <h1 className="join__title">{conference ? conference.title : t("join.loading")}</h1>
            {facts}
            <p>{t("join.already")}</p>
            <button type="button" className="btn btn--primary btn--large btn--block" onClick={() => navigate(conferencePath(conferenceId))}>
              {returning.kind === "known" ? t("join.continueAs", { name: returning.participant.name }) : t("join.continue")}
            </button>
            {returning.kind === "known" && returning.participant.organisation && <p className="muted join-again__org">{returning.participant.organisation}</p>}
            <button type="button" className="link-button" onClick={() => setSomeoneElse(true)}>
              {t("join.someoneElse")}
            </button>
          </div>
        ) : (
          <form className="card form" onSubmit={submit} aria-busy={!conference}>
            <p className="eyebrow">{t("join.eyebrow")}</p>
            <h1 className="join__title">{conference ? conference.title : t("join.loading")}</h1>
            {facts}
            {someoneElse && <p className="hint">{t("join.someoneElseHint")}</p>}
            <label className="field">
              <span>{t("join.name")} *</span>
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoComplete="name" />
            </label>
            {rosterShown ? (
              <OrganisationPicker
                organisations={organisations}
                query={organisation}
                onQuery={setOrganisation}
                choice={choice}
                onChoice={(next) => {
                  setChoice(next);
                  if (error === "join.orgAmbiguous") setError(null);
                }}
                registrationOpen={open}
              />
            ) : (
              <label className="field">
                <span>{t("join.organisation")}</span>
                <input value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={200} autoComplete="organization" />
              </label>
            )}
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
