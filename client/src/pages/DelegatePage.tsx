import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { voterKeyOf } from "../../../shared/domain/polls.ts";
import type { Poll } from "../../../shared/state.ts";
import { AgendaList } from "../agenda/AgendaList.tsx";
import { AgendaClock } from "../components/Clocks.tsx";
import { ConferenceHeader } from "../components/ConferenceHeader.tsx";
import { Icon } from "../components/Icon.tsx";
import { prepareFloorAlert } from "../floor/floorAlert.ts";
import { FloorSignal } from "../floor/FloorSignal.tsx";
import { MeetingLink } from "../floor/MeetingLink.tsx";
import { RequestFloor } from "../floor/RequestFloor.tsx";
import { CurrentSpeakerCard } from "../floor/SpeakerQueue.tsx";
import { useI18n } from "../i18n/index.ts";
import { useMinutesAccess } from "../minutes/minutesAccess.ts";
import { NotShared } from "../minutes/MinutesNotShared.tsx";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";
import { ballotKey, noBallotReason, pendingBallot, proxyGivers } from "../model/polls.ts";
import { hasFloor } from "../model/queue.ts";
import { PresenceSwitch } from "../people/PresenceSwitch.tsx";
import { QuestionsPanel } from "../questions/QuestionsPanel.tsx";
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
  // Read before loading the viewer: while the draft is not shared, the phone loads no Yjs.
  const minutes = useMinutesAccess();
  const isDelegate = me.role === "delegate";
  /** What I chose on each ballot (by `ballotKey`) this session, to remind me (the server never tells). */
  const [myChoices, setMyChoices] = useState<Record<string, string>>({});
  const sent = useSentVotes();
  const remember = (key: string) => (optionId: string) => setMyChoices((c) => ({ ...c, [key]: optionId }));
  // A vote under way (a secret one waits to be stored with others) no longer takes the screen; my
  // own ballot comes first, then one for each giver whose proxy I hold.
  const ballot = isDelegate ? pendingBallot(state, me, new Set(sent.keys())) : null;
  const currentItem = state.agenda.find((i) => i.id === state.currentItemId) ?? null;
  const current = state.speakers.current;
  const mine = current && hasFloor(state.speakers, me.id) ? current : null;
  const openPolls = state.polls.filter((p) => p.status === "open");
  const closedPolls = state.polls.filter((p) => p.status === "closed").reverse();
  const online = state.participants.find((p) => p.id === me.id)?.attendance === "online";
  // The first tap on this page lets the floor's chime sound later (browsers allow sound only then).
  useEffect(() => prepareFloorAlert(), []);

  if (ballot) {
    const key = ballotKey(ballot.poll.id, ballot.onBehalfOf?.id);
    return (
      <div className="page page--phone">
        <ConferenceHeader compact />
        <main className={`ballot-screen ${ballot.onBehalfOf ? "ballot-screen--proxy" : ""}`} id="main" role="dialog" aria-modal="true" aria-labelledby={`ballot-q-${ballot.poll.id}`}>
          <Ballot key={key} poll={ballot.poll} onBehalfOf={ballot.onBehalfOf} autoFocus onCast={remember(key)} />
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
            <p className="eyebrow">
              {t(p.kind === "election" ? "ballot.eyebrowElection" : "ballot.eyebrow")}
              {p.cluster && <> · {t("vote.clusterName", { cluster: p.cluster })}</>}
            </p>
            <p className="poll__q">{p.question}</p>
            {isDelegate && me.voting ? <MyVotes poll={p} choices={myChoices} remember={remember} /> : <p className="muted">{t("ballot.inProgress")}</p>}
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
          {online && !mine && <MeetingLink />}
        </section>
        {!mine && (
          <section className="panel">
            <CurrentSpeakerCard canRun={false} />
            <p className="muted queue-count">{t("queue.count", { count: state.speakers.queue.length })}</p>
          </section>
        )}
        {isDelegate && <RequestFloor />}
        <QuestionsPanel />
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
          {minutes?.readable === false ? (
            <NotShared />
          ) : (
            <Suspense fallback={<p className="muted">{t("minutes.loading")}</p>}>
              <MinutesViewer conferenceId={conferenceId} token={token} />
            </Suspense>
          )}
        </section>
      </main>
    </div>
  );
}

/**
 * Where my votes stand in an open poll: my own (cast, under way, cast by my organisation's
 * representative, or none because I was not in the base when it opened), then each vote I cast as
 * someone's proxy.
 */
function MyVotes({ poll, choices, remember }: { poll: Poll; choices: Record<string, string>; remember: (key: string) => (optionId: string) => void }) {
  const { t } = useI18n();
  const { state, me } = useConference();
  const sent = useSentVotes();
  const label = useOptionLabel();
  const reason = noBallotReason(state, poll, me);
  const voted = (voter: { id: string; organisationId: string | null }) => poll.voters.includes(voterKeyOf(poll.weighting, voter));
  const choice = (key: string) => choices[key];
  let own: ReactNode;
  if (reason?.kind === "representative") {
    const voice = reason.proxy
      ? t("vote.representative.byProxy", { organisation: me.organisation, name: reason.representative.name, proxy: reason.proxy.name })
      : t("vote.representative.casts", { organisation: me.organisation, name: reason.representative.name });
    own = (
      <p className="muted vote-rep">
        {voted(me) && <Icon name="check" />} {voice}
        {voted(me) && <> — {t("vote.representative.done")}</>}
      </p>
    );
  } else if (reason?.kind === "cluster") {
    own = <p className="muted">{t("vote.notInCluster", { cluster: reason.cluster })}</p>;
  } else if (reason?.kind === "late") {
    own = <p className="muted">{t("ballot.notEligible")}</p>;
  } else if (voted(me)) {
    own = (
      <p className="voted">
        <Icon name="check" /> {choice(poll.id) ? t("ballot.youChose", { choice: label(poll, choice(poll.id)!) }) : t("ballot.voted")} — {t("ballot.waitResult")}
      </p>
    );
  } else if (sent.has(poll.id)) {
    own = <PendingVote poll={poll} onCast={remember(poll.id)} />;
  } else {
    own = <p className="muted">{t("ballot.inProgress")}</p>;
  }
  const givers = proxyGivers(state, poll, me.id).filter((g) => poll.eligibleKeys.includes(voterKeyOf(poll.weighting, g)));
  return (
    <>
      {own}
      {givers.map((giver) => {
        const key = ballotKey(poll.id, giver.id);
        return voted(giver) ? (
          <p key={giver.id} className="voted voted--proxy">
            <Icon name="check" />{" "}
            {choice(key) ? t("vote.proxy.youChose", { name: giver.name, choice: label(poll, choice(key)!) }) : t("vote.proxy.voted", { name: giver.name })}
          </p>
        ) : sent.has(key) ? (
          <PendingVote key={giver.id} poll={poll} onBehalfOf={giver} onCast={remember(key)} />
        ) : null;
      })}
    </>
  );
}
