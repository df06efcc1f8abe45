import { useState, type ReactNode } from "react";
import { useI18n } from "../i18n/index.ts";
import { Tabs, type Tab } from "./Tabs.tsx";
import { PHONE_QUERY, useMediaQuery } from "./useMediaQuery.ts";

interface Props {
  /** The agenda panel. */
  agenda: ReactNode;
  /** The floor: who speaks, the queue, a hand raised in the hall. */
  floor: ReactNode;
  /** How many wait for the floor, shown on the phone's tab. */
  queueLength: number;
  /** The secretary's minutes column; the chair has the minutes among the tabs. */
  minutes?: ReactNode;
  /** The console's tabs (votes, people, invitations…) and the one chosen. */
  tabs: Tab[];
  tab: string;
  onTab: (id: string) => void;
  label: string;
  /** A tab whose content wants more room on a desktop (the roster, the facts form). */
  wideSide?: boolean;
}

/** The tab chosen last on a phone, kept when the chair comes back from the invitation cards. */
let lastPhoneTab: string | null = null;

/**
 * The chair's and the secretary's console. On a desktop, columns side by side: the agenda, the
 * minutes (secretary), the floor, the tabs. On a phone (the chair of a small meeting runs it from
 * one), one tab a section (agenda, floor, then the console's own tabs) under a tab bar that stays
 * at the top while the section scrolls, instead of one column of everything.
 */
export function ConsoleLayout({ agenda, floor, queueLength, minutes, tabs, tab, onTab, label, wideSide = false }: Props) {
  const { t } = useI18n();
  const phone = useMediaQuery(PHONE_QUERY);
  const [phoneTab, setPhoneTab] = useState(() => lastPhoneTab ?? "agenda");
  const secretary = minutes !== undefined;
  const tabsElement = <Tabs label={label} selected={tab} onSelect={onTab} tabs={tabs} />;

  if (phone) {
    const sections: Tab[] = [
      { id: "agenda", label: t("agenda.title"), content: agenda },
      ...(secretary ? [{ id: "minutes", label: t("minutes.title"), content: minutes }] : []),
      {
        id: "floor",
        label: (
          <>
            {t("console.floorTab")} {queueLength > 0 && <span className="count">{queueLength}</span>}
          </>
        ),
        content: floor,
      },
      ...tabs.map((section) => ({ ...section, content: <section className="panel">{section.content}</section> })),
    ];
    const select = (id: string) => {
      lastPhoneTab = id;
      setPhoneTab(id);
      if (tabs.some((section) => section.id === id)) onTab(id);
    };
    return (
      <main className="console console--phone" id="main">
        <Tabs label={label} selected={phoneTab} onSelect={select} tabs={sections} />
      </main>
    );
  }

  return (
    <main className={`console ${secretary ? "console--secretary" : ""} ${wideSide ? "console--wide-side" : ""}`} id="main">
      <div className="console__col">{agenda}</div>
      {secretary && <div className="console__col">{minutes}</div>}
      <div className="console__col">
        {floor}
        {secretary && <section className="panel panel--tabs">{tabsElement}</section>}
      </div>
      {!secretary && (
        <div className="console__col console__col--side">
          <section className="panel panel--tabs">{tabsElement}</section>
        </div>
      )}
    </main>
  );
}
