import { useState, type FormEvent } from "react";
import { createConference } from "../api.ts";
import { errorKey } from "../components/Notices.tsx";
import { PlainTopBar } from "../components/TopBar.tsx";
import { useI18n } from "../i18n/index.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";
import type { Language } from "../../../shared/state.ts";
import { wallClockToMs, zoneLabel } from "../model/time.ts";

/** `/`: create a conference, then go to its chair console. */
export function LandingPage() {
  const { t, language } = useI18n();
  const [title, setTitle] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [venue, setVenue] = useState("");
  const [startsAt, setStartsAt] = useState("");
  const [chairName, setChairName] = useState("");
  const [chosenLanguage, setMeetingLanguage] = useState<Language | null>(null);
  /** Follows the interface language until chosen. */
  const meetingLanguage = chosenLanguage ?? language;
  const [adminToken, setAdminToken] = useState("");
  const [needsAdmin, setNeedsAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await createConference(
      {
        title: title.trim(),
        organisation: organisation.trim() || undefined,
        venue: venue.trim() || undefined,
        // Typed in the conference's zone (the default until the chair changes it), not the device's.
        startsAt: startsAt ? (wallClockToMs(startsAt, DEFAULT_TIME_ZONE) ?? undefined) : undefined,
        timeZone: DEFAULT_TIME_ZONE,
        language: meetingLanguage,
        chairName: chairName.trim() || undefined,
      },
      adminToken.trim() || undefined,
    );
    setBusy(false);
    if (result.ok) {
      window.location.assign(result.value.url);
      return;
    }
    if (result.code === "unauthorized") setNeedsAdmin(true);
    setError(result.code === "unauthorized" ? "landing.needsAdmin" : errorKey(result.code));
  };

  return (
    <div className="page page--narrow">
      <PlainTopBar />
      <main id="main">
        <section className="hero">
          <h1>{t("landing.title")}</h1>
          <p className="lead">{t("landing.lead")}</p>
          <ul className="hero__points">
            <li>{t("landing.point1")}</li>
            <li>{t("landing.point2")}</li>
            <li>{t("landing.point3")}</li>
          </ul>
          <p>
            <a className="btn btn--primary" href="/join">
              {t("joinCode.landing")}
            </a>
          </p>
        </section>
        <form className="card form" onSubmit={submit}>
          <h2>{t("landing.formTitle")}</h2>
          <label className="field">
            <span>{t("landing.conferenceTitle")} *</span>
            <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} placeholder={t("landing.titlePlaceholder")} />
          </label>
          <label className="field">
            <span>{t("landing.organisation")}</span>
            <input value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={200} />
          </label>
          <div className="field-row">
            <label className="field">
              <span>{t("landing.venue")}</span>
              <input value={venue} onChange={(e) => setVenue(e.target.value)} maxLength={200} />
            </label>
            <div className="field">
              <label className="field__stack">
                <span className="field__label">{t("landing.startsAt")}</span>
                <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} aria-describedby="landing-zone" />
              </label>
              <p className="hint field__hint" id="landing-zone">
                {t("facts.inZone", { zone: zoneLabel(DEFAULT_TIME_ZONE, (startsAt && wallClockToMs(startsAt, DEFAULT_TIME_ZONE)) || Date.now()) })}
              </p>
            </div>
          </div>
          <div className="field-row">
            <label className="field">
              <span>{t("landing.chairName")}</span>
              <input value={chairName} onChange={(e) => setChairName(e.target.value)} maxLength={120} placeholder={t("landing.chairPlaceholder")} />
            </label>
            <label className="field">
              <span>{t("landing.language")}</span>
              <select value={meetingLanguage} onChange={(e) => setMeetingLanguage(e.target.value as Language)}>
                <option value="vi">{t("language.vi")}</option>
                <option value="en">{t("language.en")}</option>
              </select>
            </label>
          </div>
          {needsAdmin && (
            <label className="field">
              <span>{t("landing.adminToken")}</span>
              <input type="password" value={adminToken} onChange={(e) => setAdminToken(e.target.value)} autoComplete="off" />
            </label>
          )}
          {error && (
            <p className="form__error" role="alert">
              {t(error)}
            </p>
          )}
          <button type="submit" className="btn btn--primary btn--large" disabled={busy || !title.trim()}>
            {busy ? t("landing.creating") : t("landing.create")}
          </button>
        </form>
      </main>
    </div>
  );
}
