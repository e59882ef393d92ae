// Messages of the rooms area, German first (the reference) and English; merged into the
// catalogues in ../de.ts and ../en.ts. Keys start with 'rooms.'.
export const deRooms = {} as const;

export const enRooms = {} satisfies Record<keyof typeof deRooms, string>;
