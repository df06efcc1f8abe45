import { useI18n } from "./i18n/index.ts";
import { useRoute } from "./navigation.ts";
import { ConferencePage } from "./pages/ConferencePage.tsx";
import { JoinPage } from "./pages/JoinPage.tsx";
import { LandingPage } from "./pages/LandingPage.tsx";
import { MessagePage } from "./pages/MessagePage.tsx";

/** Three routes, matched on the path: landing, join, conference. */
export function App() {
  const route = useRoute();
  const { t } = useI18n();
  switch (route.page) {
    case "landing":
      return <LandingPage />;
    case "join":
      return <JoinPage key={route.conferenceId} conferenceId={route.conferenceId} />;
    case "conference":
      return <ConferencePage key={route.conferenceId} conferenceId={route.conferenceId} />;
    case "not_found":
      return <MessagePage title={t("notFound.title")} body={t("notFound.body")} link={{ href: "/", label: t("notFound.home") }} />;
  }
}
