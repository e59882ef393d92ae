/**
 * What an import refuses to read although the file is of its type and within 20 MB: a file whose
 * reading would cost the server more than any real protocol or action list does. The readers throw
 * {@link ImportLimitError}; the routes answer with its refusal, so the user learns why (and that
 * nothing was imported) instead of a server that stops answering.
 */

/** Why an import was refused: its zip unpacks to too much, or its content is too large or deep. */
export type OverLimit = 'unpacked_too_large' | 'too_complex';

/** A file over one of the import's limits. */
export class ImportLimitError extends Error {
  readonly refusal: OverLimit;

  constructor(refusal: OverLimit, message: string) {
    super(message);
    this.name = 'ImportLimitError';
    this.refusal = refusal;
  }
}

/** The refusal of an error a reader threw, if it was one of the limits. */
export const refusalOf = (error: unknown): OverLimit | undefined =>
  error instanceof ImportLimitError ? error.refusal : undefined;

/**
 * The limits, well above real files: a DOCX, ODT or XLSX has tens of entries (a few hundred with
 * many images), and photos do not compress, so a 20 MB file of them unpacks to little more. mammoth
 * holds about 70 bytes per byte of document.xml (a 40 MB document.xml took 2.9 GB and a minute),
 * so the entry limit is what bounds a DOCX's memory.
 */
export const importLimits = {
  /** All entries of a zip (DOCX, ODT, XLSX) together, unpacked: 100 MB. */
  unpackedBytes: 100 * 1024 * 1024,
  /** One entry of a zip, unpacked: 20 MB. */
  entryBytes: 20 * 1024 * 1024,
  /** Entries of a zip: real files have tens, a few hundred with many images. */
  entries: 10_000,
};
