import { useI18n } from "./i18n/index.ts";
import { useRoute } from "./navigation.ts";
import { ConferencePage } from "./pages/ConferencePage.tsx";
import { JoinCodePage } from "./pages/JoinCodePage.tsx";
import { JoinPage } from "./pages/JoinPage.tsx";
import { LandingPage } from "./pages/LandingPage.tsx";
import { MessagePage } from "./pages/MessagePage.tsx";

/** The routes, matched on the path: landing, the code-only join page, a conference's join page, a conference. */
export function App() {
  const route = useRoute();
  const { t } = useI18n();
  switch (route.page) {
    case "landing":
      return <LandingPage />;
    case "join_code":
      return <JoinCodePage />;
    case "join":
      return <JoinPage key={route.conferenceId} conferenceId={route.conferenceId} />;
    case "conference":
      return <ConferencePage key={route.conferenceId} conferenceId={route.conferenceId} view={route.view} />;
    case "not_found":
      return <MessagePage title={t("notFound.title")} body={t("notFound.body")} link={{ href: "/", label: t("notFound.home") }} />;
  }
}
