import { ERROR_CATALOGUE, type ErrorCode } from "@umbra/protocol";
import { errorBody, HttpError } from "../http-error.js";

/** How @tus/server (and our direct writers) expect a hook to refuse: a status and a raw body. */
export interface TusRefusal {
  status_code: number;
  body: string;
}

/** A refusal with the catalogue's status for `code` and the usual JSON error body. */
export function tusRefusal(code: ErrorCode, message: string): TusRefusal {
  return { status_code: ERROR_CATALOGUE[code].status, body: JSON.stringify(errorBody(code, message)) };
}

/** Runs a store call inside a tus hook: its HttpError becomes the refusal tus answers with. */
export async function refusingAsTus<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw tusRefusal(error.code, error.message);
    throw error;
  }
}
