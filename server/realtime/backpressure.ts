import type { Socket } from "socket.io";

/** The parts of engine.io's connection that hold what a client has not yet read. */
interface EngineInternals {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number } };
}

/**
 * Bytes queued for a Socket.IO client that it has not yet taken: engine.io's write buffer (packets
 * waiting for the transport) and, on a websocket, what the socket has not yet handed to the
 * kernel. A client that stops reading makes this grow with every broadcast and every answer.
 */
export function unsentBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineInternals;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    if (typeof data === "string") bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}
