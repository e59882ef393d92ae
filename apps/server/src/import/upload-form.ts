/**
 * An upload's multipart body read into its fields and its file, from plain bytes: the export
 * worker does it, because parsing a 5 MB body and copying its file out of it held the thread that
 * serves live editing for 50 to 100 ms per import.
 */

/** What reading an upload is given: the request's body and its content type. */
export interface UploadFormJob {
  type: 'read-form';
  contentType: string;
  body: Uint8Array;
}

/** The file of an upload: its name, size and bytes. */
export interface UploadedFile {
  name: string;
  size: number;
  bytes: Uint8Array;
}

/**
 * The text fields (the last value of each name) and the field `file`; `readable: false` when a
 * form's body does not parse. A body of another type is an empty form, as Hono's parseBody has it.
 */
export type UploadForm =
  | { readable: true; fields: Record<string, string>; file: UploadedFile | null }
  | { readable: false };

/** Reads `job.body` as multipart/form-data (or URL-encoded). */
export async function readUploadForm(job: UploadFormJob): Promise<UploadForm> {
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(job.contentType.trim())) {
    return { readable: true, fields: {}, file: null };
  }
  let form: FormData;
  try {
    const request = new Request('http://upload.invalid/', {
      method: 'POST',
      body: job.body as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': job.contentType },
    });
    form = await request.formData();
  } catch {
    return { readable: false };
  }
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') {
      file = { name: value.name, size: value.size, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
  return { readable: true, fields, file };
}
