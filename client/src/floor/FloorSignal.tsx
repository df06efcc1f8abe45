import { useEffect, useRef, useState } from "react";
import type { CurrentSpeech } from "../../../shared/state.ts";
import { SpeechCountdown } from "../components/Clocks.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";
import { floorAlert } from "./floorAlert.ts";
import { MeetingLink } from "./MeetingLink.tsx";

/** How often the chime comes back while the speaker has not said they noticed, and how many times. */
const REMIND_MS = 15_000;
const REMINDERS = 3;

/**
 * The unmistakable "you have the floor" signal: the words, a chime and a vibration (again every
 * few seconds until acknowledged), the "I'm speaking" acknowledgement the chair waits for, the
 * video meeting for an online speaker, my countdown and a finish button.
 */
export function FloorSignal({ current }: { current: CurrentSpeech }) {
  const { t } = useI18n();
  const { state, me } = useConference();
  const now = useServerNow();
  const command = useCommand();
  const ref = useRef<HTMLElement>(null);
  const [busy, setBusy] = useState(false);
  const acknowledged = current.acknowledgedAt != null;
  const online = state.participants.find((p) => p.id === me.id)?.attendance === "online";

  useEffect(() => {
    ref.current?.focus();
    floorAlert();
  }, [current.requestId]);

  useEffect(() => {
    if (acknowledged) return;
    let left = REMINDERS;
    const timer = setInterval(() => {
      floorAlert();
      if (--left <= 0) clearInterval(timer);
    }, REMIND_MS);
    return () => clearInterval(timer);
  }, [current.requestId, acknowledged]);

  const acknowledge = async () => {
    setBusy(true);
    await command({ type: "speakers.acknowledge" });
    setBusy(false);
  };

  return (
    <section className={`floor-signal ${acknowledged ? "floor-signal--ack" : ""}`} ref={ref} tabIndex={-1} aria-labelledby="floor-h">
      <div className="floor-signal__words" role="alert">
        <h2 id="floor-h" className="floor-signal__title">
          <Icon name="mic" /> {t("floor.yours")}
        </h2>
        <p className="floor-signal__hint">{t(acknowledged ? "floor.speakingHint" : "floor.yoursHint")}</p>
      </div>
      <SpeechCountdown current={current} now={now} large />
      {acknowledged ? (
        <p className="floor-signal__ack" role="status">
          <Icon name="check" /> {t("floor.acknowledged")}
        </p>
      ) : (
        <button type="button" className="btn btn--large btn--block btn--on-dark" disabled={busy} onClick={() => void acknowledge()}>
          <Icon name="mic" /> {t("floor.acknowledge")}
        </button>
      )}
      {online && <MeetingLink className="btn btn--block btn--on-dark-ghost" />}
      <button type="button" className={`btn btn--block ${acknowledged ? "btn--large btn--on-dark" : "btn--on-dark-ghost"}`} onClick={() => void command({ type: "speakers.finish" })}>
        <Icon name="stop" /> {t("floor.finishMine")}
      </button>
    </section>
  );
}
