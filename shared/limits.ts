/** Upper bounds on what one conference and one payload may hold. */
export const LIMITS = {
  title: 200,
  name: 120,
  organisation: 200,
  venue: 200,
  /** An organisation's abbreviation ("LHH"), and a city's name. */
  shortName: 50,
  city: 120,
  /** An activity cluster's name (cụm "Đồng bằng sông Hồng"). */
  cluster: 120,
  /** An IANA time zone name ("America/Argentina/ComodRivadavia" is among the longest). */
  timeZone: 64,
  note: 500,
  question: 1000,
  optionLabel: 200,
  options: 50,
  agendaItems: 200,
  participants: 5000,
  organisations: 1000,
  /** Bytes of an imported roster file (CSV or XLSX): 5,000 rows of names and organisations fit in a tenth of it. */
  importBytes: 2 * 1024 * 1024,
  /** Bytes an imported XLSX workbook may hold unpacked (its XML), as its own directory says. */
  importUnpackedBytes: 32 * 1024 * 1024,
  polls: 300,
  /** Questions from the floor in one conference. */
  questions: 2000,
  plannedMinutes: 24 * 60,
  speakingSeconds: 60 * 60,
  id: 64,
  joinCode: 32,
  /** A video meeting's address. */
  url: 500,
  /** bytes of one JSON body or socket message */
  payloadBytes: 64 * 1024,
  /**
   * Live connections (Socket.IO and the minutes' websocket, counted apart) one token may hold:
   * a phone, a laptop and a few tabs, never fifty.
   */
  connectionsPerToken: 8,
  /**
   * Live connections from one client address: a hall's whole Wi-Fi shares one NAT address, so
   * this is far above a congress of 1,000 delegates with two devices each.
   */
  connectionsPerAddress: 4_000,
  /** Unsent bytes queued for one Socket.IO client before it gets no more answers to `sync`. */
  socketSoftBufferBytes: 1024 * 1024,
  /** Unsent bytes queued for one Socket.IO client before it is disconnected. */
  socketHardBufferBytes: 8 * 1024 * 1024,
} as const;

/**
 * Bounds of the minutes' websocket (the y-websocket protocol at `/yjs/<id>`); docs/protocol.md,
 * "Minutes websocket limits". Connections per token and per address are LIMITS' own, counted
 * apart from Socket.IO's.
 */
export const MINUTES_LIMITS = {
  /**
   * Messages a writer (chair, secretary) may send at once, and per second after that. TipTap sends
   * an update and a cursor per keystroke: a fast typist is ~20 a second, a paste is one. Two
   * secretaries typing as fast as they can never come near this.
   */
  writerBurst: 500,
  writerPerSecond: 100,
  /**
   * A reader only asks for the document: on connecting and every 15 s per open page. A few pages
   * and reconnects fit in the burst; a page that asks every second is already thirty times too many.
   */
  readerBurst: 20,
  readerPerSecond: 1,
  /**
   * A message costs one more of the allowance for every this many bytes (at most the whole
   * burst), so big messages count: a writer sustains 400 KB/s of updates and a burst of 2 MB (a
   * long document's first sync). Applying dense updates costs about 0.5 µs a byte, so one writer
   * can take at most a fifth of a core.
   */
  bytesPerMessageCost: 4 * 1024,
  /** Unsent bytes queued for one connection past which its requests for the document go unanswered. */
  softBufferBytes: 1024 * 1024,
  /** Unsent bytes queued for one connection past which it is closed (YjsCloseCode.tooSlow). */
  hardBufferBytes: 8 * 1024 * 1024,
  /** Updates waiting for the disk past which writers' sockets are not read until the disk catches up. */
  storeBacklogBytes: 4 * 1024 * 1024,
  /** Nesting of elements in the document (a list in a list in a quote ...): ProseMirror documents stay in the tens. */
  documentDepth: 64,
  /** Nesting of JSON in a cursor's state and in values stored in the document (attributes, marks). */
  valueDepth: 16,
  /** Bytes of one cursor's state: a name, a colour and two positions are a few hundred. */
  awarenessStateBytes: 4 * 1024,
  /** Yjs client ids one connection may publish cursors for (a y-websocket client has one). */
  awarenessClientsPerConnection: 4,
  /** At most one log line per connection this often about the messages it had refused. */
  refusalLogIntervalMs: 10_000,
} as const;
