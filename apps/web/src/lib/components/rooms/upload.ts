import { ApiError, NETWORK_ERROR, UNKNOWN_ERROR } from '#lib/api/client.ts';
import { errorMessage } from '#lib/api/error-message.ts';
import { t } from '#lib/i18n/index.ts';

/** An upload's answer: its status and JSON body (null when it had none). */
export interface UploadAnswer {
  status: number;
  json: unknown;
}

/**
 * Posts `form` to `url` with XMLHttpRequest, as fetch reports no upload progress: `onprogress`
 * gets the share sent (0–1) as the file goes out. Resolves with every HTTP answer (the caller
 * decides what a 422 means); rejects with an ApiError of code `network_error` when none came.
 */
export function uploadForm(url: string, form: FormData, onprogress: (share: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.responseType = 'text';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onprogress(event.loaded / event.total);
    };
    request.onload = () => {
      let json: unknown = null;
      try {
        json = JSON.parse(request.responseText);
      } catch {
        json = null;
      }
      resolve({ status: request.status, json });
    };
    request.onerror = () => reject(new ApiError(0, NETWORK_ERROR, 'upload failed'));
    request.send(form);
  });
}

/** The ApiError of an answer that is not a success. */
export function answerError(answer: UploadAnswer): ApiError {
  const error = (answer.json as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)
    ?.error;
  return new ApiError(answer.status, error?.code ?? UNKNOWN_ERROR, error?.message ?? '', error?.fields);
}

/**
 * The message for a failed import: a 413 says which limit the file is over (its 20 MB, what it
 * unpacks to, or how much content it holds; the server names it in `fields.file`).
 */
export function importFailure(error: unknown): string {
  if (!(error instanceof ApiError) || error.status !== 413) return errorMessage(error);
  if (error.fields?.file === 'unpacks too large') return t('rooms.import.unpackedTooLarge');
  if (error.fields?.file === 'too complex') return t('rooms.import.tooComplex');
  return t('rooms.import.tooLarge');
}
