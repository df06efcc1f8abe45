/**
 * The web client on a cluster (issue 18), in real Chromium: the chair's console on the server that
 * owns the conference, a delegate's phone and the hall's projector on another. The delegate votes
 * on the second server; the chair's console on the first and the projector on the second count
 * the vote. Every step waits for what a person would see; nothing sleeps.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPages, hasChromium, shown, SHOTS, SKIP_REASON } from "../support/browser.ts";
import { startCluster, type Cluster } from "../support/cluster.ts";
import { postgresUnreachable } from "../support/postgres.ts";
import { redisUnreachable } from "../support/redis.ts";
import { addParticipant, createConference, TestClient, type Conference } from "../support/server.ts";

const missing = !hasChromium ? SKIP_REASON : (postgresUnreachable ?? redisUnreachable);

describe.skipIf(missing !== null)(missing ? `the web client on a cluster (${missing})` : "the web client on a cluster", () => {
  let cluster: Cluster;
  let conference: Conference;
  const { open, consoleErrors, close } = browserPages("cluster", { reducedMotion: "reduce" });

  beforeAll(async () => {
    cluster = await startCluster(2, { env: { SERVE_CLIENT: "1" } });
    conference = await createConference(cluster.servers[0]!.url, { title: "Hội nghị giao ban các Liên hiệp Hội khu vực Tây Nguyên", language: "vi" });
  });

  afterAll(async () => {
    await close();
    await cluster?.dispose();
  });

  it("a delegate votes on one server; the chair's console on the other and the projector count it", { timeout: 120_000 }, async () => {
    const [owner, other] = cluster.servers.map((s) => s.url) as [string, string];
    const delegate = await addParticipant(other, conference, { name: "Nguyễn Văn An", organisation: "Liên hiệp Hội tỉnh Đắk Lắk", role: "delegate" });
    const screen = await addParticipant(other, conference, { name: "Màn hình hội trường", role: "projector" });
    const onOther = (url: string) => url.replace(owner, other);

    const chair = await open(`${owner}/c/${conference.id}#t=${conference.chairToken}`);
    await shown(chair.getByRole("heading", { name: "Chương trình" }));
    const phone = await open(onOther(delegate.url), { viewport: { width: 390, height: 844 } });
    await shown(phone.getByRole("heading", { name: "Xin phát biểu", exact: true }));
    const projector = await open(onOther(screen.url), { viewport: { width: 1920, height: 1080 } });

    // The motion, opened by the chair through a connection to the other server (forwarded to the owner).
    const chairOnOther = await TestClient.connect(other, conference.chairToken);
    try {
      const { id: pollId } = (await chairOnOther.must({ type: "polls.create", question: "Thành lập cụm hoạt động Tây Nguyên?" })) as unknown as { id: string };
      await chairOnOther.must({ type: "polls.open", pollId });
    } finally {
      chairOnOther.close();
    }
    await shown(chair.getByText(/0 \/ \d+ đã bỏ phiếu/));

    await phone.getByRole("button", { name: /^Tán thành/ }).first().click();
    await phone.getByRole("button", { name: /Xác nhận/ }).first().click();
    await shown(phone.getByText(/Bạn đã chọn: Tán thành/));
    await shown(chair.getByText(/1 \/ \d+ đã bỏ phiếu/));
    await shown(projector.getByText(/1 \/ \d+ đã bỏ phiếu/));
    await phone.screenshot({ path: join(SHOTS, "cluster-delegate.png") });
    await chair.screenshot({ path: join(SHOTS, "cluster-chair.png") });
    await projector.screenshot({ path: join(SHOTS, "cluster-projector.png") });
    expect(consoleErrors).toEqual([]);
  });
});
