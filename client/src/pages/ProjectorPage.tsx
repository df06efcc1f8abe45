import { QRCodeSVG } from "qrcode.react";
import { lazy, Suspense } from "react";
import { projectorShowsMinutes } from "../minutes/projectorMinutes.ts";
import type { Participant } from "../../../shared/state.ts";
import { AgendaClock, SpeechCountdown } from "../components/Clocks.tsx";
import { ConnectionBanner } from "../components/ConnectionBanner.tsx";
import { LanguageToggle } from "../components/LanguageToggle.tsx";
import { KindBadge } from "../floor/SpeakerQueue.tsx";
import { useI18n } from "../i18n/index.ts";
import { useConference, useConferenceI18n } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";
import { indexParticipants } from "../model/participants.ts";
import { projectorFocus } from "../model/polls.ts";
import { upcoming } from "../model/queue.ts";
import { usePublicBase } from "../live/usePublicBase.ts";
import { joinUrl } from "../people/InviteCard.tsx";
import { AttendanceSummary } from "../people/AttendanceSummary.tsx";
import { AttendanceIcon } from "../people/PersonName.tsx";
import { PollResult, TurnoutBar } from "../polls/PollResult.tsx";
import { ProjectorQuestions, useProjectorHasQuestions } from "../questions/ProjectorQuestions.tsx";

// The adopted minutes, read out full-screen: the projector loads Yjs only then.
const MinutesReading = lazy(() => import("../minutes/MinutesReading.tsx"));

/** The hall's big screen: dark, large, readable from the back row. Loads the minutes only to show them at approval. */
export function ProjectorPage() {
  // The hall's clock is the meeting's time zone, whatever the projector's computer is set to.
  const { t, fmt } = useConferenceI18n();
  const { state, status } = useConference();
  const now = useServerNow();
  const people = indexParticipants(state.participants);
  const currentItem = state.agenda.find((i) => i.id === state.currentItemId) ?? null;
  const itemIndex = currentItem ? state.agenda.indexOf(currentItem) : -1;
  const current = state.speakers.current;
  const speaker = current ? people.get(current.participantId) : undefined;
  const next = upcoming(state.speakers.queue, 5);
  const focus = projectorFocus(state.polls, current, currentItem, now);
  const joinCode = state.conference.joinCode;
  const base = usePublicBase();
  // Approved questions take the main area when nobody speaks and no vote is on; else a short list beside.
  const questionsInFocus = useProjectorHasQuestions() && focus.kind === "floor" && !current;

  return (
    <div className="projector">
      <ConnectionBanner status={status} />
      {projectorShowsMinutes(state) && (
        <Suspense fallback={null}>
          <MinutesReading />
        </Suspense>
      )}
      <header className="pj-head">
        <div className="pj-head__left">
          <h1 className="pj-title">{state.conference.title}</h1>
          <AttendanceSummary variant="projector" />
        </div>
        <div className="pj-head__right">
          <span className="pj-clock">{fmt.time(now)}</span>
          <LanguageToggle />
        </div>
      </header>
      <main className="pj-main">
        <section className="pj-item" aria-label={t("agenda.current")}>
          {currentItem ? (
            <>
              <p className="pj-eyebrow">
                {t("projector.item", { n: itemIndex + 1, total: state.agenda.length })}
              </p>
              <p className="pj-item__title">{currentItem.title}</p>
              <div className="pj-item__row">
                {currentItem.presenter && <span className="pj-item__presenter">{currentItem.presenter}</span>}
                <AgendaClock item={currentItem} now={now} large />
              </div>
            </>
          ) : (
            <p className="pj-item__title pj-muted">{t(state.conference.status === "ended" ? "agenda.ended" : "projector.waiting")}</p>
          )}
        </section>

        <section className="pj-focus" aria-live="polite">
          {focus.kind === "poll_open" && (
            <div className="pj-poll">
              <p className="pj-eyebrow pj-eyebrow--vote">
                {t(focus.poll.kind === "election" ? "projector.votingElection" : "projector.voting")}
                {focus.poll.cluster && <> · {t("vote.clusterName", { cluster: focus.poll.cluster })}</>}
              </p>
              <p className="pj-poll__q">{focus.poll.question}</p>
              <TurnoutBar poll={focus.poll} large />
              <p className="pj-poll__base">
                {t(`vote.projector.base.${focus.poll.weighting === "organisation" ? `${focus.poll.base}Organisation` : focus.poll.base}`, { n: fmt.number(focus.poll.eligible ?? 0) })}
              </p>
            </div>
          )}
          {focus.kind === "poll_result" && (
            <div className="pj-poll pj-poll--result">
              <p className="pj-eyebrow">
                {t(focus.poll.kind === "election" ? "projector.resultElection" : "projector.result")}
                {focus.poll.cluster && <> · {t("vote.clusterName", { cluster: focus.poll.cluster })}</>}
              </p>
              <p className="pj-poll__q">{focus.poll.question}</p>
              <PollResult poll={focus.poll} large />
            </div>
          )}
          {focus.kind === "floor" &&
            (current ? (
              <div className="pj-speaker">
                <p className="pj-eyebrow">{t("projector.speaking")}</p>
                <div className="pj-speaker__row">
                  <div>
                    <p className="pj-speaker__name">
                      {speaker && <AttendanceIcon attendance={speaker.attendance} />} {speaker?.name ?? t("person.unknown")}
                    </p>
                    {speaker?.organisation && <p className="pj-speaker__org">{speaker.organisation}</p>}
                    <KindBadge kind={current.kind} />
                  </div>
                  <SpeechCountdown current={current} now={now} large />
                </div>
              </div>
            ) : questionsInFocus ? (
              <ProjectorQuestions variant="focus" />
            ) : (
              <p className="pj-muted pj-nobody">{t("floor.nobody")}</p>
            ))}
        </section>

        <aside className="pj-side">
          <section aria-labelledby="pj-next">
            <h2 id="pj-next" className="pj-eyebrow">
              {t("projector.next")}
            </h2>
            {next.length === 0 ? (
              <p className="pj-muted">{t("queue.empty")}</p>
            ) : (
              <ol className="pj-next">
                {next.map((r) => (
                  <NextSpeaker key={r.requestId} person={people.get(r.participantId)} kind={r.kind} />
                ))}
              </ol>
            )}
            {state.speakers.queue.length > next.length && (
              <p className="pj-muted">{t("projector.more", { n: fmt.number(state.speakers.queue.length - next.length) })}</p>
            )}
          </section>
          {!questionsInFocus && <ProjectorQuestions variant="side" />}
          {joinCode && (
            <section className="pj-join" aria-label={t("invite.title")}>
              <div className="pj-join__qr">
                <QRCodeSVG value={joinUrl(base, state.conference.id, joinCode)} size={220} marginSize={2} title={t("invite.qrTitle")} />
              </div>
              <div>
                <p className="pj-eyebrow">{t("invite.code")}</p>
                <p className="pj-join__code">{joinCode}</p>
                <p className="pj-muted pj-join__hint">{t("projector.joinHint")}</p>
              </div>
            </section>
          )}
        </aside>
      </main>
    </div>
  );
}

function NextSpeaker({ person, kind }: { person: Participant | undefined; kind: Parameters<typeof KindBadge>[0]["kind"] }) {
  const { t } = useI18n();
  return (
    <li className={`pj-next__item pj-next__item--${kind}`}>
      <span className="pj-next__name">
        {person && <AttendanceIcon attendance={person.attendance} />} {person?.name ?? t("person.unknown")}
      </span>
      {person?.organisation && <span className="pj-next__org">{person.organisation}</span>}
      {kind !== "speech" && <KindBadge kind={kind} />}
    </li>
  );
}
