// Messages of the editor area, German first (the reference) and English; merged into the
// catalogues in ../de.ts and ../en.ts. Keys start with 'editor.'.
export const deEditor = {} as const;

export const enEditor = {} satisfies Record<keyof typeof deEditor, string>;
