// Messages of the admin area, German first (the reference) and English; merged into the
// catalogues in ../de.ts and ../en.ts. Keys start with 'admin.'.
export const deAdmin = {} as const;

export const enAdmin = {} satisfies Record<keyof typeof deAdmin, string>;
