import { useEffect, useRef } from "react";
import type { CurrentSpeech } from "../../../shared/state.ts";
import { SpeechCountdown } from "../components/Clocks.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useServerNow } from "../live/useNow.ts";

/** The unmistakable "you have the floor" signal, with my countdown and a finish button. */
export function FloorSignal({ current }: { current: CurrentSpeech }) {
  const { t } = useI18n();
  const now = useServerNow();
  const command = useCommand();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
    navigator.vibrate?.([200, 100, 200]);
  }, [current.requestId]);
  return (
    <section className="floor-signal" ref={ref} tabIndex={-1} aria-labelledby="floor-h">
      <p id="floor-h" className="floor-signal__title" role="alert">
        <Icon name="mic" /> {t("floor.yours")}
      </p>
      <p className="floor-signal__hint">{t("floor.yoursHint")}</p>
      <SpeechCountdown current={current} now={now} large />
      <button type="button" className="btn btn--large btn--block btn--on-dark" onClick={() => void command({ type: "speakers.finish" })}>
        <Icon name="stop" /> {t("floor.finishMine")}
      </button>
    </section>
  );
}
