/** Upper bounds on what one conference and one payload may hold. */
export const LIMITS = {
  title: 200,
  name: 120,
  organisation: 200,
  venue: 200,
  note: 500,
  question: 1000,
  optionLabel: 200,
  options: 50,
  agendaItems: 200,
  participants: 5000,
  polls: 300,
  plannedMinutes: 24 * 60,
  speakingSeconds: 60 * 60,
  id: 64,
  joinCode: 32,
  /** bytes of one JSON body or socket message */
  payloadBytes: 64 * 1024,
} as const;
