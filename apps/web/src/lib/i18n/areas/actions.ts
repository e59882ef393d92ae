// Messages of the actions area, German first (the reference) and English; merged into the
// catalogues in ../de.ts and ../en.ts. Keys start with 'actions.'.
export const deActions = {} as const;

export const enActions = {} satisfies Record<keyof typeof deActions, string>;
