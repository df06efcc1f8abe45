import type { Language, Majority, MotionOutcome, ElectionOutcome } from "../../../shared/state.ts";

/** Every word the exported minutes (biên bản) print, per conference language. */
export interface MinutesLabels {
  /** The national heading (Vietnamese documents only). */
  nationalHeading: { country: string; motto: string } | null;
  title: string;
  numberLine: string;
  /** "Hà Nội, ngày 15 tháng 11 năm 2021". */
  placeDate(place: string, date: DateParts): string;
  time(date: DateParts): string;
  dateTime(date: DateParts): string;
  startedAt: string;
  venue: string;
  format: string;
  formatHybrid: string;
  formatHall: string;
  formatOnline: string;
  chairs: string;
  secretaries: string;
  attendance: string;
  presentCount(total: number, hall: number, online: number): string;
  absent: string;
  inHall: string;
  online: string;
  noOrganisation: string;
  nobody: string;
  proceedings: string;
  noText: string;
  votes: string;
  pollLine(index: number, question: string): string;
  eligible(count: number | null, cast: number): string;
  majority: Record<Majority, string>;
  secret: string;
  outcome: Record<MotionOutcome | ElectionOutcome, string>;
  outcomeLabel: string;
  elected(name: string): string;
  closing(date: DateParts | null): string;
  signatureSecretary: string;
  signatureChair: string;
  signHint: string;
  placeholder: string;
  /** File name stem: `bien-ban` / `minutes`. */
  fileStem: string;
}

/** A moment in the conference's time zone. */
export interface DateParts {
  day: number;
  month: number;
  year: number;
  hour: number;
  minute: number;
}

const pad = (n: number) => String(n).padStart(2, "0");
const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const vi: MinutesLabels = {
  nationalHeading: { country: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto: "Độc lập - Tự do - Hạnh phúc" },
  title: "BIÊN BẢN",
  numberLine: "Số: ....../BB-",
  placeDate: (place, d) => `${place}, ngày ${pad(d.day)} tháng ${pad(d.month)} năm ${d.year}`,
  time: (d) => `${pad(d.hour)} giờ ${pad(d.minute)}`,
  dateTime: (d) => `${pad(d.hour)} giờ ${pad(d.minute)}, ngày ${pad(d.day)} tháng ${pad(d.month)} năm ${d.year}`,
  startedAt: "Thời gian bắt đầu",
  venue: "Địa điểm",
  format: "Hình thức",
  formatHybrid: "trực tiếp tại hội trường kết hợp trực tuyến",
  formatHall: "trực tiếp tại hội trường",
  formatOnline: "trực tuyến",
  chairs: "Chủ trì",
  secretaries: "Thư ký",
  attendance: "Thành phần tham dự",
  presentCount: (total, hall, online) => `Có mặt: ${total} người (tại hội trường: ${hall}; trực tuyến: ${online}).`,
  absent: "Vắng mặt",
  inHall: "Tại hội trường",
  online: "Trực tuyến",
  noOrganisation: "Không thuộc tổ chức",
  nobody: "không có",
  proceedings: "NỘI DUNG HỘI NGHỊ",
  noText: "(Chưa có nội dung.)",
  votes: "KẾT QUẢ BIỂU QUYẾT",
  pollLine: (i, q) => `${i}. ${q}`,
  eligible: (count, cast) => `Số có quyền biểu quyết: ${count ?? "—"}; số đã biểu quyết: ${cast}`,
  majority: { simple: "đa số phiếu", absolute: "quá nửa tổng số", two_thirds: "hai phần ba" },
  secret: "bỏ phiếu kín",
  outcome: { adopted: "Thông qua", rejected: "Không thông qua", elected: "Có người trúng cử", none: "Không có người trúng cử" },
  outcomeLabel: "Kết quả",
  elected: (name) => `Trúng cử: ${name}`,
  closing: (d) => (d ? `Hội nghị kết thúc lúc ${vi.dateTime(d)}.` : "Hội nghị kết thúc lúc ...... giờ ......, ngày ......"),
  signatureSecretary: "THƯ KÝ",
  signatureChair: "CHỦ TRÌ",
  signHint: "(Ký, ghi rõ họ tên)",
  placeholder: "……",
  fileStem: "bien-ban",
};

const en: MinutesLabels = {
  nationalHeading: null,
  title: "MINUTES",
  numberLine: "No.: ......",
  placeDate: (place, d) => `${place}, ${d.day} ${EN_MONTHS[d.month - 1]} ${d.year}`,
  time: (d) => `${pad(d.hour)}:${pad(d.minute)}`,
  dateTime: (d) => `${pad(d.hour)}:${pad(d.minute)}, ${d.day} ${EN_MONTHS[d.month - 1]} ${d.year}`,
  startedAt: "Opened at",
  venue: "Venue",
  format: "Format",
  formatHybrid: "in the hall and online",
  formatHall: "in the hall",
  formatOnline: "online",
  chairs: "Chair",
  secretaries: "Secretary",
  attendance: "Attendance",
  presentCount: (total, hall, online) => `Present: ${total} (in the hall: ${hall}; online: ${online}).`,
  absent: "Absent",
  inHall: "In the hall",
  online: "Online",
  noOrganisation: "No organisation",
  nobody: "none",
  proceedings: "PROCEEDINGS",
  noText: "(No text yet.)",
  votes: "VOTES",
  pollLine: (i, q) => `${i}. ${q}`,
  eligible: (count, cast) => `Entitled to vote: ${count ?? "—"}; votes cast: ${cast}`,
  majority: { simple: "simple majority", absolute: "absolute majority", two_thirds: "two-thirds majority" },
  secret: "secret ballot",
  outcome: { adopted: "Adopted", rejected: "Rejected", elected: "Elected", none: "Nobody elected" },
  outcomeLabel: "Outcome",
  elected: (name) => `Elected: ${name}`,
  closing: (d) => (d ? `The meeting closed at ${en.dateTime(d)}.` : "The meeting closed at ......"),
  signatureSecretary: "SECRETARY",
  signatureChair: "CHAIR",
  signHint: "(Signature and full name)",
  placeholder: "……",
  fileStem: "minutes",
};

export const MINUTES_LABELS: Record<Language, MinutesLabels> = { vi, en };

export function labelsFor(language: Language | undefined): MinutesLabels {
  return MINUTES_LABELS[language ?? "vi"] ?? vi;
}
