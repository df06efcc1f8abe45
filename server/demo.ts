import type { ConferenceRegistry } from "./conferences/ConferenceRegistry.ts";
import type { ConferenceRoom } from "./conferences/ConferenceRoom.ts";

/** The 2021 conference of provincial unions (see shared/DOMAIN.md), as the first-run demo. */
export const DEMO_CONFERENCE = {
  title: "Hội nghị giao ban Liên hiệp các Hội Khoa học và Kỹ thuật các tỉnh, thành phố năm 2021",
  organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
  venue: "Hà Nội (trực tiếp và trực tuyến)",
  startsAt: "2021-11-15T08:30:00+07:00",
  language: "vi" as const,
  chairName: "Phan Xuân Dũng",
  agenda: [
    { title: "Phát biểu khai mạc", presenter: "Phan Xuân Dũng, Chủ tịch", plannedMinutes: 10 },
    {
      title: "Báo cáo kết quả hoạt động 10 tháng đầu năm 2021",
      presenter: "Phạm Quang Thao, Phó Chủ tịch",
      plannedMinutes: 20,
    },
    {
      title: "Đề án thành lập các cụm hoạt động của Liên hiệp Hội các tỉnh, thành phố",
      presenter: "Phạm Hữu Duệ, Trưởng Ban Tổ chức – Chính sách",
      plannedMinutes: 20,
    },
    { title: "Thảo luận của đại biểu", presenter: "", plannedMinutes: 60 },
    { title: "Kết luận hội nghị", presenter: "Phan Xuân Dũng, Chủ tịch", plannedMinutes: 15 },
  ],
};

export interface DemoLinks {
  conferenceId: string;
  chair: string;
  secretary: string;
  projector: string;
  join: string;
  joinCode: string;
}

/** Creates the demo conference with its agenda, a co-chair, a secretary and the hall projector. */
export async function createDemo(registry: ConferenceRegistry, baseUrl: string): Promise<DemoLinks> {
  const { agenda, chairName, ...body } = DEMO_CONFERENCE;
  const { room, chairToken } = await registry.create(body, chairName);
  const chairId = room.published.participants[0]!.id;
  const actor = { participantId: chairId, role: "chair" as const };
  for (const item of agenda) await must(room.execute({ type: "agenda.add", ...item }, actor));
  const add = async (name: string, organisation: string, role: "chair" | "secretary" | "projector") => {
    const added = await registry.addParticipant(room, { name, organisation, role }, "chair");
    if (!added.ok) throw new Error(added.error.message);
    return added.token;
  };
  await add("Phạm Quang Thao", DEMO_CONFERENCE.organisation, "chair");
  const secretary = await add("Thư ký hội nghị", DEMO_CONFERENCE.organisation, "secretary");
  const projector = await add("Màn hình hội trường", "", "projector");
  const joinCode = room.published.conference.joinCode!;
  const link = (token: string) => `${baseUrl}/c/${room.id}#t=${token}`;
  return {
    conferenceId: room.id,
    chair: link(chairToken),
    secretary: link(secretary),
    projector: link(projector),
    join: `${baseUrl}/c/${room.id}/join?code=${joinCode}`,
    joinCode,
  };
}

async function must(ack: ReturnType<ConferenceRoom["execute"]>) {
  const answer = await ack;
  if (!answer.ok) throw new Error(answer.error.message);
}
