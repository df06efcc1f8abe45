/** Placeholder until the live minutes editor lands (issue 6). */
export interface MinutesPanelProps {
  conferenceId: string;
  token: string;
  canWrite: boolean;
}

export default function MinutesPanel(_props: MinutesPanelProps) {
  return null;
}
