import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { NoticeProvider } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { ConferenceConnection } from "../live/ConferenceConnection.ts";
import { SessionContext, type Session } from "../live/Session.ts";
import { forgetToken, saveToken, takeTokenFromUrl } from "../live/token.ts";
import { ConnectionContext, useLive } from "../live/useLive.ts";
import { joinPath, type ConferenceView } from "../model/routes.ts";
import { DelegatePage } from "./DelegatePage.tsx";
import { MessagePage } from "./MessagePage.tsx";
import { ProjectorPage } from "./ProjectorPage.tsx";

// The minutes' print view loads Yjs and the official frame only when opened; the chair's and the
// secretary's console (with the roster, its import and the server's validation rules) and the
// invitation sheet only for them: a delegate's phone in the hall loads neither.
const MinutesPrint = lazy(() => import("../minutes/MinutesPrint.tsx"));
const ChairPage = lazy(() => import("./ChairPage.tsx").then((m) => ({ default: m.ChairPage })));
const InvitationSheet = lazy(() => import("../people/InvitationSheet.tsx").then((m) => ({ default: m.InvitationSheet })));

/** `/c/:id` (and `/c/:id/invitations`): signs in with the link's token, opens the live connection, shows the role's view. */
export function ConferencePage({ conferenceId, view = "console" }: { conferenceId: string; view?: ConferenceView }) {
  const { t } = useI18n();
  // The token the page opened with: the connection lives as long as the page. A token renewed
  // later (the chair's own new link) reaches the same connection through `renewToken`.
  const [initialToken] = useState(() => takeTokenFromUrl(conferenceId));
  const [token, setToken] = useState(initialToken);
  const [connection, setConnection] = useState<ConferenceConnection | null>(null);
  const adoptToken = useCallback(
    (next: string) => {
      saveToken(conferenceId, next);
      setToken(next);
    },
    [conferenceId],
  );
  const session = useMemo<Session | null>(() => (token ? { conferenceId, token, adoptToken } : null), [conferenceId, token, adoptToken]);

  // A new link for this conference pasted into the same tab changes only the fragment: start over.
  useEffect(() => {
    const onHash = () => {
      if (new URLSearchParams(window.location.hash.slice(1)).get("t")) window.location.reload();
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    if (!initialToken) return;
    const opened = new ConferenceConnection(initialToken);
    setConnection(opened);
    return () => opened.close();
  }, [initialToken]);

  if (!token || !session) return <InvalidLink conferenceId={conferenceId} />;
  if (!connection) return <MessagePage title={t("connection.connecting")} body="" />;
  return (
    <ConnectionContext.Provider value={connection}>
      <SessionContext.Provider value={session}>
        <NoticeProvider>
          <RoleView conferenceId={conferenceId} token={token} view={view} />
        </NoticeProvider>
      </SessionContext.Provider>
    </ConnectionContext.Provider>
  );
}

function InvalidLink({ conferenceId }: { conferenceId: string }) {
  const { t } = useI18n();
  return (
    <MessagePage
      title={t("invalidLink.title")}
      body={t("invalidLink.body")}
      link={{ href: joinPath(conferenceId), label: t("invalidLink.join") }}
    />
  );
}

function RoleView({ conferenceId, token, view }: { conferenceId: string; token: string; view: ConferenceView }) {
  const { t } = useI18n();
  const live = useLive();
  const title = live.conference?.conference.title;
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);
  // A refused token is of no use on this device: drop it so the join page starts afresh (only
  // that token: a newer one stored meanwhile stays).
  useEffect(() => {
    if (live.status === "unauthorized") forgetToken(conferenceId, token);
  }, [live.status, conferenceId, token]);
  if (live.status === "unauthorized") return <InvalidLink conferenceId={conferenceId} />;
  if (live.status === "outdated") return <MessagePage title={t("connection.outdated")} body={t("connection.reload")} />;
  if (!live.conference || !live.me) {
    return (
      <MessagePage
        title={live.status === "offline" ? t("connection.offline") : t("connection.connecting")}
        body={t("connection.wait")}
      />
    );
  }
  const minutesPrint = (
    <Suspense fallback={<MessagePage title={t("minutes.loading")} body="" />}>
      <MinutesPrint />
    </Suspense>
  );
  const consolePage = (page: React.ReactNode) => <Suspense fallback={<MessagePage title={t("connection.connecting")} body={t("connection.wait")} />}>{page}</Suspense>;
  switch (live.me.role) {
    case "chair":
      return view === "invitations" ? consolePage(<InvitationSheet />) : view === "minutesPrint" ? minutesPrint : consolePage(<ChairPage />);
    case "secretary":
      return view === "minutesPrint" ? minutesPrint : consolePage(<ChairPage />);
    case "delegate":
    case "observer":
      return <DelegatePage />;
    case "projector":
      return <ProjectorPage />;
  }
}
