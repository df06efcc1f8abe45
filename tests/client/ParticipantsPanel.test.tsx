// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NoticeProvider } from "../../client/src/components/Notices.tsx";
import { i18n } from "../../client/src/i18n/index.ts";
import { SessionContext } from "../../client/src/live/Session.ts";
import { ConnectionContext } from "../../client/src/live/useLive.ts";
import { ParticipantsPanel } from "../../client/src/people/ParticipantsPanel.tsx";
import type { Me } from "../../shared/view.ts";
import { fakeConnection } from "../support/fakeConnection.ts";
import { conference, person, T0 } from "../support/fixtures.ts";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const organisations = [
  { id: "na", name: "Liên hiệp Hội tỉnh Nghệ An", shortName: "", cluster: "Bắc Trung Bộ", source: "roster" as const },
  { id: "xd", name: "Tổng hội Xây dựng Việt Nam", shortName: "THXD", cluster: null, source: "roster" as const },
];
const people = [
  person("chair", "Phan Xuân Dũng", { role: "chair" }),
  person("sec", "Vũ Thị Hạnh", { role: "secretary" }),
  person("an", "Nguyễn Văn An", { organisation: organisations[0]!.name, organisationId: "na", representative: true, checkedInAt: null, online: false }),
  person("binh", "Trần Thị Bình", { organisation: organisations[1]!.name, organisationId: "xd", attendance: "online" }),
  person("gone", "Đỗ Văn Gone", { removedAt: T0 }),
  person("screen", "Màn hình hội trường", { role: "projector" }),
];


const asChair: Me = { id: "chair", name: "Phan Xuân Dũng", organisation: "", organisationId: null, representative: false, role: "chair", voting: true };
const asSecretary: Me = { ...asChair, id: "sec", name: "Vũ Thị Hạnh", role: "secretary", voting: false };

let root: Root;
let host: HTMLElement;

beforeEach(async () => {
  await i18n.changeLanguage("en");
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

async function render(me: Me) {
  const fake = fakeConnection({ status: "online", me, clockOffsetMs: 0, conference: conference({ participants: people, organisations }) });
  await act(async () => {
    root.render(
      <ConnectionContext.Provider value={fake.connection}>
        <SessionContext.Provider value={{ conferenceId: "conf1", token: "tok", adoptToken: () => undefined }}>
          <NoticeProvider>
            <ParticipantsPanel canManage={me.role === "chair"} />
          </NoticeProvider>
        </SessionContext.Provider>
      </ConnectionContext.Provider>,
    );
  });
  return fake;
}

const button = (label: string) => host.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`);
const rows = () => [...host.querySelectorAll("table.roster")[0]!.querySelectorAll("tbody tr")].map((tr) => tr.textContent ?? "");

describe("the people tab", () => {
  it("lists the people with their status, the screens and the removed apart", async () => {
    await render(asChair);
    const listed = rows();
    expect(listed).toHaveLength(4);
    expect(listed.find((r) => r.includes("Nguyễn Văn An"))).toContain("Invited");
    expect(listed.find((r) => r.includes("Trần Thị Bình"))).toContain("Present online");
    expect(listed.some((r) => r.includes("Đỗ Văn Gone") || r.includes("Màn hình"))).toBe(false);
    expect(host.querySelector(".people__removed")?.textContent).toContain("Đỗ Văn Gone");
    // 3 of 4 present (the chair, the secretary and Bình), 2 of 3 voters, 1 of 2 organisations.
    expect(host.querySelector(".counts--panel")?.textContent).toContain("3 of 4 present (2 in the hall, 1 online)");
    expect(host.querySelector(".counts--panel")?.textContent).toContain("1 of 2 organisations present");
  });

  it("lets the chair edit, re-issue and remove, and asks first in a row of its own", async () => {
    await render(asChair);
    expect(button("Edit Nguyễn Văn An")).not.toBeNull();
    expect(button("New link for Nguyễn Văn An")).not.toBeNull();
    // Nobody removes themselves.
    expect(button("Remove Phan Xuân Dũng from the roster")).toBeNull();
    await act(async () => button("Remove Nguyễn Văn An from the roster")!.click());
    expect(host.querySelector(".roster__row--confirm")?.textContent).toContain("Remove Nguyễn Văn An? Their link stops working");
    const cancel = [...host.querySelectorAll(".roster__row--confirm button")].find((b) => b.textContent === "Cancel")!;
    await act(async () => (cancel as HTMLButtonElement).click());
    expect(host.querySelector(".roster__row--confirm")).toBeNull();
    await act(async () => button("Edit Nguyễn Văn An")!.click());
    expect(host.querySelector<HTMLInputElement>(".roster__edit input")?.value).toBe("Nguyễn Văn An");
  });

  it("lets a secretary check people in and mark them gone, nothing more", async () => {
    const fake = await render(asSecretary);
    expect(button("Edit Nguyễn Văn An")).toBeNull();
    expect(button("New link for Nguyễn Văn An")).toBeNull();
    expect(host.textContent).not.toContain("Import a roster file");
    expect(host.textContent).toContain("Export roster (CSV)");
    await act(async () => button("Check in Nguyễn Văn An as present")!.click());
    await act(async () => button("Mark Trần Thị Bình as gone")!.click());
    expect(fake.sent).toEqual([
      { type: "participants.checkIn", participantId: "an" },
      { type: "participants.leave", participantId: "binh" },
    ]);
  });

  it("finds people without diacritics and filters by status", async () => {
    await render(asChair);
    const search = host.querySelector<HTMLInputElement>('input[type="search"]')!;
    await act(async () => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
      setter.call(search, "nghe an");
      search.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(rows().map((r) => r.includes("Nguyễn Văn An"))).toEqual([true]);
  });
});
