import { useId, useMemo, useState, type FormEvent } from "react";
import { isTimeZone, type PublicConference, type UpdateConferenceRequest } from "../../../shared/commands.ts";
import { LIMITS } from "../../../shared/limits.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";
import type { Language } from "../../../shared/state.ts";
import { updateConference } from "../api.ts";
import { errorKey, useNotice } from "../components/Notices.tsx";
import { meetingHref } from "../floor/MeetingLink.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import { formatters } from "../model/format.ts";
import { deviceDiffersFrom, msToWallClock, wallClockToMs, zoneLabel } from "../model/time.ts";

const TEXT_FACTS = ["title", "organisation", "parentOrganisation", "shortName", "venue", "city"] as const;
type TextFact = (typeof TEXT_FACTS)[number];

const MAX: Record<TextFact, number> = {
  title: LIMITS.title,
  organisation: LIMITS.organisation,
  parentOrganisation: LIMITS.organisation,
  shortName: LIMITS.shortName,
  venue: LIMITS.venue,
  city: LIMITS.city,
};

/** The form's fields: texts as typed, the start as the conference zone's wall clock. */
interface Draft extends Record<TextFact, string> {
  startsAt: string;
  timeZone: string;
  language: Language;
  /** The video meeting online delegates join; "" for none. */
  meetingUrl: string;
}

function draftOf(conference: Pick<PublicConference, TextFact | "startsAt" | "timeZone" | "language" | "meetingUrl">): Draft {
  return {
    title: conference.title,
    organisation: conference.organisation,
    parentOrganisation: conference.parentOrganisation,
    shortName: conference.shortName,
    venue: conference.venue,
    city: conference.city,
    startsAt: conference.startsAt === null ? "" : msToWallClock(conference.startsAt, conference.timeZone),
    timeZone: conference.timeZone,
    language: conference.language,
    meetingUrl: conference.meetingUrl ?? "",
  };
}

/** The zones the browser knows, for the field's suggestions (ICU lists Asia/Saigon: keep our name too). */
function knownZones(current: string): string[] {
  const supported = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([DEFAULT_TIME_ZONE, current, "UTC", ...supported])];
}

/**
 * The conference's facts, as the minutes' heading and the invitations use them (v1.1 `PATCH
 * /api/conferences/:id`, chair, in any status): title, the issuing body and the one above it, its
 * short name, venue and city, the start, the time zone and the language. The start is typed and
 * shown in the conference's time zone, named beside the field, never in the device's.
 */
export function ConferenceFactsForm() {
  const { t, language: uiLanguage } = useI18n();
  const { state } = useConference();
  const { conferenceId, token } = useSession();
  const notice = useNotice();
  const [saved, setSaved] = useState<Draft>(() => draftOf(state.conference));
  const [draft, setDraft] = useState<Draft>(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const zonesId = useId();
  const startHintId = useId();
  const zones = useMemo(() => knownZones(state.conference.timeZone), [state.conference.timeZone]);

  const zoneOk = isTimeZone(draft.timeZone.trim());
  const meetingOk = draft.meetingUrl.trim() === "" || meetingHref(draft.meetingUrl) !== null;
  const meetingHintId = useId();
  const zone = zoneOk ? draft.timeZone.trim() : state.conference.timeZone;
  const startsAt = draft.startsAt ? wallClockToMs(draft.startsAt, zone) : null;
  const at = startsAt ?? Date.now();
  const device = startsAt !== null && deviceDiffersFrom(zone, startsAt) ? formatters(uiLanguage === "en" ? "en-GB" : "vi-VN").time(startsAt) : null;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const changes = (): UpdateConferenceRequest => {
    const body: UpdateConferenceRequest = {};
    for (const key of TEXT_FACTS) if (draft[key].trim() !== saved[key]) body[key] = draft[key].trim();
    if (draft.timeZone.trim() !== saved.timeZone) body.timeZone = draft.timeZone.trim();
    if (draft.language !== saved.language) body.language = draft.language;
    if (draft.meetingUrl.trim() !== saved.meetingUrl) body.meetingUrl = draft.meetingUrl.trim();
    // The same wall clock in another zone is another instant: sent whenever either changed.
    if (draft.startsAt !== saved.startsAt || body.timeZone !== undefined) body.startsAt = startsAt;
    return body;
  };
  const dirty = Object.keys(changes()).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!zoneOk) return setError("facts.badZone");
    if (draft.startsAt && startsAt === null) return setError("facts.badStart");
    if (!meetingOk) return setError("facts.badMeetingUrl");
    const body = changes();
    if (Object.keys(body).length === 0) return;
    setBusy(true);
    setError(null);
    const answer = await updateConference(conferenceId, token, body);
    setBusy(false);
    if (!answer.ok) return setError(errorKey(answer.code));
    const now = draftOf(answer.value);
    setSaved(now);
    setDraft(now);
    notice.show("facts.saved", "info");
  };

  const text = (key: TextFact, required = false) => (
    <label className="field">
      <span>
        {t(`facts.${key}`)}
        {required && " *"}
      </span>
      <input value={draft[key]} onChange={(e) => set(key, e.target.value)} maxLength={MAX[key]} required={required} />
    </label>
  );

  return (
    <form className="form facts" onSubmit={submit} aria-label={t("facts.formTitle")}>
      <p className="hint">{t("facts.hint")}</p>
      {text("title", true)}
      {text("organisation")}
      <div className="field-row">
        {text("parentOrganisation")}
        {text("shortName")}
      </div>
      <div className="field-row">
        {text("venue")}
        {text("city")}
      </div>
      <div className="field-row">
        <div className="field">
          <label className="field__stack">
            <span className="field__label">{t("facts.startsAt")}</span>
            <input type="datetime-local" value={draft.startsAt} onChange={(e) => set("startsAt", e.target.value)} aria-describedby={startHintId} />
          </label>
          <p className="hint field__hint facts__zone" id={startHintId}>
            {t("facts.inZone", { zone: zoneLabel(zone, at) })}
            {device && ` ${t("facts.onThisDevice", { time: device })}`}
          </p>
        </div>
        <label className="field">
          <span>{t("facts.timeZone")}</span>
          <input value={draft.timeZone} onChange={(e) => set("timeZone", e.target.value)} list={zonesId} maxLength={LIMITS.timeZone} aria-invalid={!zoneOk} spellCheck={false} />
          <datalist id={zonesId}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
      </div>
      {!zoneOk && (
        <p className="form__error" role="alert">
          {t("facts.badZone")}
        </p>
      )}
      <div className="field">
        <label className="field__stack">
          <span className="field__label">{t("facts.meetingUrl")}</span>
          <input
            type="url"
            inputMode="url"
            value={draft.meetingUrl}
            onChange={(e) => set("meetingUrl", e.target.value)}
            maxLength={LIMITS.url}
            placeholder="https://meet.jit.si/…"
            spellCheck={false}
            aria-invalid={!meetingOk}
            aria-describedby={meetingHintId}
          />
        </label>
        <p className={meetingOk ? "hint field__hint" : "form__error field__hint"} id={meetingHintId}>
          {t(meetingOk ? "facts.meetingUrlHint" : "facts.badMeetingUrl")}
        </p>
      </div>
      <label className="field">
        <span>{t("landing.language")}</span>
        <select value={draft.language} onChange={(e) => set("language", e.target.value as Language)}>
          <option value="vi">{t("language.vi")}</option>
          <option value="en">{t("language.en")}</option>
        </select>
      </label>
      {error && zoneOk && (
        <p className="form__error" role="alert">
          {t(error)}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !dirty || !draft.title.trim() || !zoneOk || !meetingOk}>
          {t("action.save")}
        </button>
        {dirty && (
          <button type="button" className="btn btn--small" onClick={() => setDraft(saved)}>
            {t("action.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
