import { useState, type FormEvent } from "react";
import { SPEECH_KINDS, type Participant, type SpeechKind } from "../../../shared/state.ts";
import { SpeechCountdown } from "../components/Clocks.tsx";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference, useConferenceI18n } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";
import { indexParticipants, matchesQuery, sortedAttendees } from "../model/participants.ts";
import { formatDuration } from "../model/time.ts";
import { PersonName } from "../people/PersonName.tsx";

/** The kind of a request as a badge; a point of order stands out. */
export function KindBadge({ kind }: { kind: SpeechKind }) {
  const { t } = useI18n();
  return (
    <span className={`kind kind--${kind}`}>
      {kind !== "speech" && <Icon name={kind === "point_of_order" ? "flag" : "question"} />}{kind !== "speech" && " "}
      {t(`kind.${kind}`)}
    </span>
  );
}

/**
 * Who has the floor, with the countdown and the chair's finish button. The chair and the
 * secretaries also see whether the speaker has acknowledged the floor ("I'm speaking"): always for
 * an online speaker, who may not have noticed; for one in the hall once they have.
 */
export function CurrentSpeakerCard({ canRun }: { canRun: boolean }) {
  const { t, fmt } = useConferenceI18n();
  const { state, me } = useConference();
  const now = useServerNow();
  const command = useCommand();
  const current = state.speakers.current;
  const people = indexParticipants(state.participants);
  const speaker = current ? people.get(current.participantId) : undefined;
  const staff = me.role === "chair" || me.role === "secretary";
  const acknowledgedAt = current?.acknowledgedAt ?? null;
  const showAck = staff && current !== null && (speaker?.attendance === "online" || acknowledgedAt !== null);
  return (
    <div className={`speaker-card ${current ? "speaker-card--on" : ""}`} aria-live="polite">
      <p className="eyebrow">{t("floor.current")}</p>
      {current ? (
        <>
          <div className="speaker-card__row">
            <div>
              <p className="speaker-card__name">
                <PersonName participant={speaker} />
              </p>
              <span className="speaker-card__tags">
                <KindBadge kind={current.kind} />
                {showAck && (
                  <span className={`ack ${acknowledgedAt !== null ? "ack--yes" : "ack--no"}`}>
                    <Icon name={acknowledgedAt !== null ? "check" : "mic"} />{" "}
                    {acknowledgedAt !== null ? t("floor.ackYes", { time: fmt.time(acknowledgedAt) }) : t("floor.ackNo")}
                  </span>
                )}
              </span>
            </div>
            <SpeechCountdown current={current} now={now} large />
          </div>
          {canRun && (
            <div className="form__actions">
              <button type="button" className="btn" onClick={() => void command({ type: "speakers.finish" })}>
                <Icon name="stop" /> {t("floor.finish")}
              </button>
            </div>
          )}
        </>
      ) : (
        <p className="muted">{t("floor.nobody")}</p>
      )}
    </div>
  );
}

/** The queue in speaking order, with the chair's controls. */
export function SpeakerQueue({ canRun }: { canRun: boolean }) {
  const { t } = useI18n();
  const { state } = useConference();
  const now = useServerNow();
  const command = useCommand();
  const people = indexParticipants(state.participants);
  const { queue } = state.speakers;
  // Once the meeting has ended nobody is given the floor: the controls go with it.
  const running = canRun && state.conference.status !== "ended";
  return (
    <section className="panel" aria-labelledby="queue-h">
      <div className="panel__head">
        <h2 id="queue-h">
          {t("queue.title")} <span className="count">{queue.length}</span>
        </h2>
        {running && (
          <div className="panel__tools">
            <button type="button" className="btn btn--primary" disabled={queue.length === 0} onClick={() => void command({ type: "speakers.grant" })}>
              <Icon name="play" /> {t("queue.grantNext")}
            </button>
            <ConfirmButton className="btn btn--ghost" disabled={queue.length === 0} question={t("queue.clearQ")} onConfirm={() => void command({ type: "speakers.clear" })}>
              {t("queue.clear")}
            </ConfirmButton>
          </div>
        )}
      </div>
      {queue.length === 0 ? (
        <p className="muted">{t("queue.empty")}</p>
      ) : (
        <ol className="queue">
          {queue.map((r, index) => {
            const person = people.get(r.participantId);
            return (
              <li key={r.requestId} className={`queue__item queue__item--${r.kind}`}>
                <span className="queue__pos" aria-hidden="true">
                  {index + 1}
                </span>
                <div className="queue__body">
                  <PersonName participant={person} />
                  <span className="queue__meta">
                    <KindBadge kind={r.kind} />
                    <span className="muted">{t("queue.waiting", { time: formatDuration(now - r.requestedAt) })}</span>
                    {r.requestedBy !== r.participantId && <span className="muted">{t("queue.raisedInHall")}</span>}
                  </span>
                  {r.note && <span className="queue__note">“{r.note}”</span>}
                </div>
                {running && (
                  <div className="queue__actions">
                    <button type="button" className="btn btn--small" onClick={() => void command({ type: "speakers.grant", requestId: r.requestId })} aria-label={t("queue.grantTo", { name: person?.name ?? "" })}>
                      {t("queue.grant")}
                    </button>
                    <button type="button" className="btn btn--small btn--ghost" onClick={() => void command({ type: "speakers.remove", requestId: r.requestId })} aria-label={t("queue.removeOf", { name: person?.name ?? "" })}>
                      <Icon name="close" />
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** A hand raised in the hall: the chair or a secretary puts someone without a phone in the queue. */
export function HandRaiseForm() {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const command = useCommand();
  const [participantId, setParticipantId] = useState("");
  const [kind, setKind] = useState<SpeechKind>("speech");
  const [query, setQuery] = useState("");
  // A hall may hold hundreds of delegates: typing part of a name or an organisation narrows the list.
  const people = sortedAttendees(state.participants, fmt.locale).filter((p) => p.role !== "projector" && matchesQuery(p, query));
  const filter = (text: string) => {
    setQuery(text);
    const matches = sortedAttendees(state.participants, fmt.locale).filter((p) => p.role !== "projector" && matchesQuery(p, text));
    if (!matches.some((p) => p.id === participantId)) setParticipantId(matches.length === 1 ? matches[0]!.id : "");
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!participantId) return;
    const ack = await command({ type: "speakers.request", kind, participantId });
    if (ack.ok) {
      setParticipantId("");
      setQuery("");
    }
  };
  return (
    <form className="hand-form" onSubmit={submit} aria-labelledby="hand-h">
      <h3 id="hand-h"><Icon name="hand" /> {t("hand.title")}</h3>
      <label className="field">
        <span>{t("hand.search")}</span>
        <input type="search" value={query} onChange={(e) => filter(e.target.value)} placeholder={t("hand.searchPlaceholder")} />
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t("hand.who")}</span>
          <select value={participantId} onChange={(e) => setParticipantId(e.target.value)} required>
            <option value="">{t("hand.choose")}</option>
            {people.map((p: Participant) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.organisation ? ` – ${p.organisation}` : ""} ({t(`attendance.${p.attendance}`)})
              </option>
            ))}
          </select>
        </label>
        <label className="field field--narrow">
          <span>{t("hand.kind")}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as SpeechKind)}>
            {SPEECH_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" className="btn btn--small" disabled={!participantId}>
        {t("hand.add")}
      </button>
    </form>
  );
}

const LIMIT_PRESETS = [0, 60, 120, 180, 300, 420, 600, 900];

/** A speaking time as the chair picks it: "3 phút" for whole minutes, "01:30" otherwise, never "03:00 phút". */
export function limitWords(seconds: number, t: ReturnType<typeof useI18n>["t"]): string {
  if (seconds === 0) return t("limit.none");
  return seconds % 60 === 0 ? t("limit.minutes", { count: seconds / 60 }) : formatDuration(seconds * 1000);
}

/** The default speaking time for speeches that start later; gone once the meeting has ended. */
export function LimitSetting() {
  const { t } = useI18n();
  const { state } = useConference();
  const command = useCommand();
  const value = state.speakers.limitSeconds;
  const presets = LIMIT_PRESETS.includes(value) ? LIMIT_PRESETS : [...LIMIT_PRESETS, value].sort((a, b) => a - b);
  if (state.conference.status === "ended") return null;
  return (
    <label className="field field--inline">
      <span>{t("limit.label")}</span>
      <select value={value} onChange={(e) => void command({ type: "speakers.setLimit", seconds: Number(e.target.value) })}>
        {presets.map((s) => (
          <option key={s} value={s}>
            {limitWords(s, t)}
          </option>
        ))}
      </select>
    </label>
  );
}
