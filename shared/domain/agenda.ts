import type { CommandOf } from "../commands.ts";
import type { DomainEvent } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { AgendaItem, ConferenceState } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { closeCurrentItem, endCurrentSpeech, ensureLive } from "./cascades.ts";

type AgendaCommand = CommandOf<
  "agenda.add" | "agenda.update" | "agenda.remove" | "agenda.move" | "agenda.start" | "agenda.next"
>;

/** Time an item has taken so far, including a running activation. */
export function elapsedMs(item: AgendaItem, now: number): number {
  return item.spentMs + (item.status === "active" && item.startedAt !== null ? Math.max(0, now - item.startedAt) : 0);
}

/** The item `agenda.next` moves to: the first pending one after the active item, else the first pending. */
export function nextPendingItem(state: ConferenceState): AgendaItem | undefined {
  const activeIndex = state.agenda.findIndex((i) => i.id === state.currentItemId);
  const after = state.agenda.slice(activeIndex + 1).find((i) => i.status === "pending");
  return after ?? (activeIndex < 0 ? state.agenda.find((i) => i.status === "pending") : undefined);
}

export function decideAgenda(state: ConferenceState, command: AgendaCommand, ctx: DecideContext): Decision {
  const find = (itemId: string) => state.agenda.find((i) => i.id === itemId);
  switch (command.type) {
    case "agenda.add": {
      if (state.agenda.length >= LIMITS.agendaItems) {
        return refuse("conflict", `the agenda holds at most ${LIMITS.agendaItems} items`);
      }
      let index = state.agenda.length;
      if (command.afterId !== undefined) {
        const afterIndex = state.agenda.findIndex((i) => i.id === command.afterId);
        if (afterIndex < 0) return refuse("not_found", "no agenda item with that afterId");
        index = afterIndex + 1;
      }
      const item: AgendaItem = {
        id: ctx.newId(),
        title: command.title,
        presenter: command.presenter ?? "",
        plannedMinutes: command.plannedMinutes ?? 0,
        status: "pending",
        startedAt: null,
        endedAt: null,
        spentMs: 0,
      };
      return accept([{ type: "agenda.item_added", data: { item, index } }], { id: item.id });
    }
    case "agenda.update": {
      if (!find(command.itemId)) return refuse("not_found", "no such agenda item");
      const { type: _type, itemId, ...changes } = command;
      if (Object.keys(changes).length === 0) return refuse("invalid", "nothing to change");
      return accept([{ type: "agenda.item_updated", data: { itemId, ...changes } }]);
    }
    case "agenda.remove": {
      const item = find(command.itemId);
      if (!item) return refuse("not_found", "no such agenda item");
      if (item.status === "active") return refuse("conflict", "the active item cannot be removed");
      return accept([{ type: "agenda.item_removed", data: { itemId: item.id } }]);
    }
    case "agenda.move": {
      if (!find(command.itemId)) return refuse("not_found", "no such agenda item");
      if (command.toIndex >= state.agenda.length) return refuse("invalid", "toIndex is past the end of the agenda");
      return accept([{ type: "agenda.item_moved", data: { itemId: command.itemId, toIndex: command.toIndex } }]);
    }
    case "agenda.start": {
      const item = find(command.itemId);
      if (!item) return refuse("not_found", "no such agenda item");
      if (state.conference.status === "ended") return refuse("conflict", "the conference has ended");
      if (item.status === "active") return refuse("conflict", "that item is already active");
      return accept([
        ...ensureLive(state, ctx.now),
        ...endCurrentSpeech(state, ctx.now),
        ...closeCurrentItem(state, ctx.now),
        { type: "agenda.item_started", data: { itemId: item.id, at: ctx.now } },
      ]);
    }
    case "agenda.next": {
      if (state.conference.status === "ended") return refuse("conflict", "the conference has ended");
      const next = nextPendingItem(state);
      if (!next && !state.currentItemId) return refuse("conflict", "no pending agenda item");
      return accept(
        [
          ...ensureLive(state, ctx.now),
          ...endCurrentSpeech(state, ctx.now),
          ...closeCurrentItem(state, ctx.now),
          ...(next ? [{ type: "agenda.item_started" as const, data: { itemId: next.id, at: ctx.now } }] : []),
        ],
        { id: next?.id ?? null },
      );
    }
  }
}

function mapItem(state: ConferenceState, itemId: string, change: (item: AgendaItem) => AgendaItem): AgendaItem[] {
  return state.agenda.map((i) => (i.id === itemId ? change(i) : i));
}

export function evolveAgenda(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: `agenda.${string}` }>,
): ConferenceState {
  switch (event.type) {
    case "agenda.item_added": {
      const agenda = [...state.agenda];
      agenda.splice(event.data.index, 0, event.data.item);
      return { ...state, agenda };
    }
    case "agenda.item_updated": {
      const { itemId, ...changes } = event.data;
      return { ...state, agenda: mapItem(state, itemId, (i) => ({ ...i, ...changes })) };
    }
    case "agenda.item_removed":
      return {
        ...state,
        agenda: state.agenda.filter((i) => i.id !== event.data.itemId),
        // A poll outlives the item it was held under; it just no longer belongs to one.
        polls: state.polls.map((p) => (p.itemId === event.data.itemId ? { ...p, itemId: null } : p)),
      };
    case "agenda.item_moved": {
      const from = state.agenda.findIndex((i) => i.id === event.data.itemId);
      if (from < 0) return state;
      const agenda = [...state.agenda];
      const [item] = agenda.splice(from, 1);
      agenda.splice(event.data.toIndex, 0, item!);
      return { ...state, agenda };
    }
    case "agenda.item_started":
      return {
        ...state,
        currentItemId: event.data.itemId,
        agenda: mapItem(state, event.data.itemId, (i) => ({
          ...i,
          status: "active",
          startedAt: event.data.at,
          endedAt: null,
        })),
      };
    case "agenda.item_ended":
      return {
        ...state,
        currentItemId: state.currentItemId === event.data.itemId ? null : state.currentItemId,
        agenda: mapItem(state, event.data.itemId, (i) => ({
          ...i,
          status: "done",
          endedAt: event.data.at,
          spentMs: elapsedMs(i, event.data.at),
        })),
      };
  }
}
