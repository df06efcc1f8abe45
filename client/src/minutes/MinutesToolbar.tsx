import type { Editor } from "@tiptap/react";
import { useEditorState } from "@tiptap/react";
import { useTranslation } from "react-i18next";

/** Headings, bold, italic, lists and undo for the minutes' editor; every button has a name in the `minutes` namespace. */
export function MinutesToolbar({ editor }: { editor: Editor }) {
  const { t } = useTranslation("minutes");
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      paragraph: e.isActive("paragraph"),
      h1: e.isActive("heading", { level: 1 }),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });

  const button = (key: string, label: string, pressed: boolean | null, run: () => void, disabled = false) => (
    <button
      key={key}
      type="button"
      className={`minutes-toolbar__button minutes-toolbar__button--${key}`}
      aria-label={t(`toolbar.${key}`)}
      title={t(`toolbar.${key}`)}
      aria-pressed={pressed ?? undefined}
      disabled={disabled}
      onMouseDown={(event) => event.preventDefault()}
      onClick={run}
    >
      {label}
    </button>
  );
  const chain = () => editor.chain().focus();

  return (
    <div className="minutes-toolbar" role="toolbar" aria-label={t("toolbar.label")}>
      <span className="minutes-toolbar__group">
        {button("paragraph", "¶", active.paragraph, () => chain().setParagraph().run())}
        {button("heading1", "H1", active.h1, () => chain().toggleHeading({ level: 1 }).run())}
        {button("heading2", "H2", active.h2, () => chain().toggleHeading({ level: 2 }).run())}
        {button("heading3", "H3", active.h3, () => chain().toggleHeading({ level: 3 }).run())}
      </span>
      <span className="minutes-toolbar__group">
        {button("bold", "B", active.bold, () => chain().toggleBold().run())}
        {button("italic", "I", active.italic, () => chain().toggleItalic().run())}
      </span>
      <span className="minutes-toolbar__group">
        {button("bulletList", "•≡", active.bulletList, () => chain().toggleBulletList().run())}
        {button("orderedList", "1≡", active.orderedList, () => chain().toggleOrderedList().run())}
      </span>
      <span className="minutes-toolbar__group">
        {button("undo", "↶", null, () => chain().undo().run(), !active.canUndo)}
        {button("redo", "↷", null, () => chain().redo().run(), !active.canRedo)}
      </span>
    </div>
  );
}
