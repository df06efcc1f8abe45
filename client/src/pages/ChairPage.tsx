import { lazy, Suspense, useState } from "react";
import { AgendaPanel } from "../agenda/AgendaPanel.tsx";
import { ConferenceHeader } from "../components/ConferenceHeader.tsx";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { ConsoleLayout } from "../components/ConsoleLayout.tsx";
import { CurrentSpeakerCard, HandRaiseForm, LimitSetting, SpeakerQueue } from "../floor/SpeakerQueue.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { InviteCard } from "../people/InviteCard.tsx";
import { ParticipantsPanel } from "../people/ParticipantsPanel.tsx";
import { PollsPanel } from "../polls/PollsPanel.tsx";
import { ConferenceFactsForm } from "../conference/ConferenceFactsForm.tsx";
import { MinutesControls } from "../minutes/MinutesControls.tsx";
import { QuestionsModeration, QuestionsTabLabel } from "../questions/QuestionsModeration.tsx";

const MinutesPanel = lazy(() => import("../minutes/MinutesPanel.tsx"));

/** The tab chosen last in this page, kept when the chair comes back from the invitation cards. */
let lastTab: string | null = null;

/** The chair's console; a secretary gets the same without the chair-only controls. */
export function ChairPage() {
  const { t } = useI18n();
  const { state, me } = useConference();
  const { conferenceId, token } = useSession();
  const command = useCommand();
  const isChair = me.role === "chair";
  const [tab, setTabState] = useState(() => lastTab ?? (isChair ? "polls" : "people"));
  const setTab = (id: string) => {
    lastTab = id;
    setTabState(id);
  };
  const openPolls = state.polls.filter((p) => p.status === "open").length;
  const status = state.conference.status;

  const minutes = (
    <>
      <MinutesControls />
      <Suspense fallback={<p className="muted">{t("minutes.loading")}</p>}>
        <MinutesPanel conferenceId={conferenceId} token={token} canWrite />
      </Suspense>
    </>
  );
  const tabList = [
    {
      id: "polls",
      label: (
        <>
          {t("poll.title")}
          {openPolls > 0 && (
            <span className="badge-live" title={t("poll.status.open")}>
              <span className="visually-hidden">{t("poll.status.open")}</span>
            </span>
          )}
        </>
      ),
      content: <PollsPanel canRun={isChair} />,
    },
    { id: "questions", label: <QuestionsTabLabel />, content: <QuestionsModeration canSettle={isChair} /> },
    { id: "people", label: t("people.title"), content: <ParticipantsPanel canManage={isChair} /> },
    { id: "invite", label: t("invite.title"), content: <InviteCard conferenceId={conferenceId} joinCode={state.conference.joinCode} /> },
    ...(isChair
      ? [
          { id: "minutes", label: t("minutes.title"), content: minutes },
          { id: "facts", label: t("facts.tab"), content: <ConferenceFactsForm /> },
        ]
      : []),
  ];
  const floor = (
    <>
      <section className="panel" aria-label={t("floor.title")}>
        <CurrentSpeakerCard canRun={isChair} />
        {isChair && <LimitSetting />}
      </section>
      <SpeakerQueue canRun={isChair} />
      {status !== "ended" && (
        <section className="panel">
          <HandRaiseForm />
        </section>
      )}
    </>
  );

  return (
    <div className="page page--console">
      <ConferenceHeader>
        {isChair && status === "scheduled" && (
          <button type="button" className="btn btn--primary" onClick={() => void command({ type: "conference.start" })}>
            {t("conference.start")}
          </button>
        )}
        {isChair && status === "live" && (
          <ConfirmButton className="btn btn--ghost" question={t("conference.endQ")} onConfirm={() => void command({ type: "conference.end" })}>
            {t("conference.end")}
          </ConfirmButton>
        )}
        {isChair && status === "ended" && (
          <ConfirmButton className="btn btn--ghost" question={t("conference.reopenQ")} onConfirm={() => void command({ type: "conference.reopen" })}>
            {t("conference.reopen")}
          </ConfirmButton>
        )}
      </ConferenceHeader>
      <ConsoleLayout
        agenda={<AgendaPanel canRun={isChair} canEdit />}
        floor={floor}
        queueLength={state.speakers.queue.length}
        minutes={
          isChair ? undefined : (
            <section className="panel panel--minutes" aria-labelledby="minutes-h">
              <h2 id="minutes-h">{t("minutes.title")}</h2>
              {minutes}
            </section>
          )
        }
        tabs={tabList}
        tab={tab}
        onTab={setTab}
        label={t("console.sections")}
        wideSide={isChair && (tab === "people" || tab === "facts")}
      />
    </div>
  );
}
