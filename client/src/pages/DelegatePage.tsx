import { lazy, Suspense, useState } from "react";
import { hasVoted } from "../../../shared/domain/polls.ts";
import { AgendaList } from "../agenda/AgendaList.tsx";
import { AgendaClock } from "../components/Clocks.tsx";
import { ConferenceHeader } from "../components/ConferenceHeader.tsx";
import { Icon } from "../components/Icon.tsx";
import { FloorSignal } from "../floor/FloorSignal.tsx";
import { RequestFloor } from "../floor/RequestFloor.tsx";
import { CurrentSpeakerCard } from "../floor/SpeakerQueue.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";
import { isEligible, pendingBallot } from "../model/polls.ts";
import { hasFloor } from "../model/queue.ts";
import { PresenceSwitch } from "../people/PresenceSwitch.tsx";
import { Ballot, PendingVote } from "../polls/Ballot.tsx";
import { PollResult, useOptionLabel } from "../polls/PollResult.tsx";
import { useSentVotes } from "../polls/sentVotes.ts";

// Readers get the light viewer: the editor (TipTap, ProseMirror) stays out of this page.
const MinutesViewer = lazy(() => import("../minutes/MinutesViewer.tsx"));

/** The delegate's phone (and, read only, the observer's). */
export function DelegatePage() {
  const { t } = useI18n();
  const { state, me } = useConference();
  const { conferenceId, token } = useSession();
  const now = useServerNow();
  const label = useOptionLabel();
  const isDelegate = me.role === "delegate";
  /** What I chose in each poll this session, to remind me (the server never tells). */
  const [myChoices, setMyChoices] = useState<Record<string, string>>({});
  const sent = useSentVotes();
  const remember = (pollId: string) => (optionId: string) => setMyChoices((c) => ({ ...c, [pollId]: optionId }));
  // A vote under way (a secret one waits to be stored with others) no longer takes the screen.
  const ballot = isDelegate ? pendingBallot(state.polls.filter((p) => !sent.has(p.id)), me) : null;
  const currentItem = state.agenda.find((i) => i.id === state.currentItemId) ?? null;
  const current = state.speakers.current;
  const mine = current && hasFloor(state.speakers, me.id) ? current : null;
  const openPolls = state.polls.filter((p) => p.status === "open");
  const closedPolls = state.polls.filter((p) => p.status === "closed").reverse();

  if (ballot) {
    return (
      <div className="page page--phone">
        <ConferenceHeader compact />
        <main className="ballot-screen" id="main" role="dialog" aria-modal="true" aria-labelledby={`ballot-q-${ballot.id}`}>
          <Ballot poll={ballot} autoFocus onCast={remember(ballot.id)} />
        </main>
      </div>
    );
  }

  return (
    <div className="page page--phone">
      <ConferenceHeader compact />
      <main id="main" className="phone">
        {mine && <FloorSignal current={mine} />}
        {openPolls.map((p) => (
          <section key={p.id} className="panel poll-waiting" aria-live="polite">
            <p className="eyebrow">{t("ballot.eyebrow")}</p>
            <p className="poll__q">{p.question}</p>
            {isDelegate && hasVoted(p, me) ? (
              <p className="voted">
                <Icon name="check" /> {myChoices[p.id] ? t("ballot.youChose", { choice: label(p, myChoices[p.id]!) }) : t("ballot.voted")} — {t("ballot.waitResult")}
              </p>
            ) : isDelegate && sent.has(p.id) ? (
              <PendingVote poll={p} onCast={remember(p.id)} />
            ) : isDelegate && !isEligible(p, me) ? (
              <p className="muted">{t("ballot.notEligible")}</p>
            ) : (
              <p className="muted">{t("ballot.inProgress")}</p>
            )}
          </section>
        ))}
        <section className="panel now" aria-labelledby="now-h">
          <p className="eyebrow" id="now-h">
            {t("agenda.current")}
          </p>
          {currentItem ? (
            <>
              <p className="now-item__title">{currentItem.title}</p>
              {currentItem.presenter && <p className="muted">{currentItem.presenter}</p>}
              <AgendaClock item={currentItem} now={now} />
            </>
          ) : (
            <p className="muted">{t(state.conference.status === "ended" ? "agenda.ended" : "agenda.noneActive")}</p>
          )}
        </section>
        {!mine && (
          <section className="panel">
            <CurrentSpeakerCard canRun={false} />
            <p className="muted queue-count">{t("queue.count", { count: state.speakers.queue.length })}</p>
          </section>
        )}
        {isDelegate && <RequestFloor />}
        {isDelegate && (
          <section className="panel">
            <PresenceSwitch />
          </section>
        )}
        {closedPolls.length > 0 && (
          <section className="panel" aria-labelledby="results-h">
            <h2 id="results-h">{t("poll.results")}</h2>
            {closedPolls.map((p) => (
              <article key={p.id} className="poll poll--closed">
                <h3 className="poll__q">{p.question}</h3>
                <PollResult poll={p} />
              </article>
            ))}
          </section>
        )}
        <details className="panel">
          <summary>
            <h2 className="inline-h">{t("agenda.title")}</h2>
          </summary>
          <AgendaList />
        </details>
        <section className="panel" aria-label={t("minutes.title")}>
          <Suspense fallback={<p className="muted">{t("minutes.loading")}</p>}>
            <MinutesViewer conferenceId={conferenceId} token={token} />
          </Suspense>
        </section>
      </main>
    </div>
  );
}
