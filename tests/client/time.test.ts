import { describe, expect, it } from "vitest";
import { formatters } from "../../client/src/model/format.ts";
import { formatOffset, msToWallClock, wallClockToMs, zoneLabel, zoneOffsetMs } from "../../client/src/model/time.ts";

const HOUR = 3_600_000;

describe("the conference's time zone", () => {
  it("knows a zone's offset at an instant", () => {
    const at = Date.UTC(2021, 10, 15, 1, 30);
    expect(zoneOffsetMs("Asia/Ho_Chi_Minh", at)).toBe(7 * HOUR);
    expect(zoneOffsetMs("UTC", at)).toBe(0);
    expect(zoneOffsetMs("Asia/Kolkata", at)).toBe(5.5 * HOUR);
    // New York: EST in November, EDT in July.
    expect(zoneOffsetMs("America/New_York", at)).toBe(-5 * HOUR);
    expect(zoneOffsetMs("America/New_York", Date.UTC(2021, 6, 1, 12))).toBe(-4 * HOUR);
  });

  it("turns a wall-clock time typed in the zone into the instant, whatever the device's zone", () => {
    // 08:30 in Hà Nội is 01:30 UTC.
    expect(wallClockToMs("2021-11-15T08:30", "Asia/Ho_Chi_Minh")).toBe(Date.UTC(2021, 10, 15, 1, 30));
    expect(wallClockToMs("2021-11-15T08:30:15", "Asia/Ho_Chi_Minh")).toBe(Date.UTC(2021, 10, 15, 1, 30, 15));
    // Across midnight: 05:00 in Hà Nội is still the day before in UTC.
    expect(wallClockToMs("2022-01-01T05:00", "Asia/Ho_Chi_Minh")).toBe(Date.UTC(2021, 11, 31, 22, 0));
    expect(wallClockToMs("2021-11-15T08:30", "Asia/Kolkata")).toBe(Date.UTC(2021, 10, 15, 3, 0));
    expect(wallClockToMs("2021-07-01T09:00", "America/New_York")).toBe(Date.UTC(2021, 6, 1, 13, 0));
    expect(wallClockToMs("2021-12-01T09:00", "Europe/London")).toBe(Date.UTC(2021, 11, 1, 9, 0));
  });

  it("reads it back as the zone's wall clock", () => {
    const at = Date.UTC(2021, 10, 15, 1, 30);
    expect(msToWallClock(at, "Asia/Ho_Chi_Minh")).toBe("2021-11-15T08:30");
    expect(msToWallClock(at, "America/New_York")).toBe("2021-11-14T20:30");
    for (const zone of ["Asia/Ho_Chi_Minh", "Europe/Berlin", "America/Los_Angeles", "Australia/Adelaide", "Pacific/Chatham"]) {
      for (const wall of ["2024-01-15T00:00", "2024-03-31T12:45", "2024-07-04T23:59", "2024-10-27T08:30"]) {
        expect(msToWallClock(wallClockToMs(wall, zone)!, zone), `${wall} in ${zone}`).toBe(wall);
      }
    }
  });

  it("takes a time that a spring-forward skips as the same time after the jump, a repeated one as its first", () => {
    // New York, 10 March 2024: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist.
    expect(msToWallClock(wallClockToMs("2024-03-10T02:30", "America/New_York")!, "America/New_York")).toBe("2024-03-10T03:30");
    // 3 November 2024: 01:30 happens twice; the first is EDT (05:30 UTC).
    expect(wallClockToMs("2024-11-03T01:30", "America/New_York")).toBe(Date.UTC(2024, 10, 3, 5, 30));
  });

  it("refuses what is not a time", () => {
    expect(wallClockToMs("", "Asia/Ho_Chi_Minh")).toBeNull();
    expect(wallClockToMs("15/11/2021 08:30", "Asia/Ho_Chi_Minh")).toBeNull();
    expect(wallClockToMs("2021-02-31T08:30", "Asia/Ho_Chi_Minh")).toBeNull();
    expect(wallClockToMs("2021-11-15T24:30", "Asia/Ho_Chi_Minh")).toBeNull();
  });

  it("names the zone beside a time as people write it", () => {
    const at = Date.UTC(2021, 10, 15);
    expect(zoneLabel("Asia/Ho_Chi_Minh", at)).toBe("Asia/Ho_Chi_Minh (UTC+7)");
    expect(zoneLabel("Asia/Kolkata", at)).toBe("Asia/Kolkata (UTC+5:30)");
    expect(zoneLabel("America/New_York", at)).toBe("America/New_York (UTC-5)");
    expect(zoneLabel("UTC", at)).toBe("UTC");
    expect(formatOffset(-3.5 * HOUR)).toBe("UTC-3:30");
  });

  it("shows times in the conference's zone, not the device's", () => {
    const at = Date.UTC(2021, 10, 15, 1, 30);
    expect(formatters("vi-VN", "Asia/Ho_Chi_Minh").time(at)).toBe("08:30");
    expect(formatters("en-GB", "America/New_York").time(at)).toBe("20:30");
    expect(formatters("en-GB", "Asia/Ho_Chi_Minh").dateTime(at)).toContain("15 November 2021");
    // An unknown zone falls back to the device's rather than failing the page.
    expect(formatters("en-GB", "Mars/Olympus").timeZone).toBeUndefined();
  });
});
