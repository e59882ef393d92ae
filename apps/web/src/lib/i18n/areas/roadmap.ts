// Messages of the roadmap area, German first (the reference) and English; merged into the
// catalogues in ../de.ts and ../en.ts. Keys start with 'roadmap.'.
export const deRoadmap = {} as const;

export const enRoadmap = {} satisfies Record<keyof typeof deRoadmap, string>;
