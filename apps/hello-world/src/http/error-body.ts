import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  error: string;
  status: number;
  requestId: string;
}

/** Short JSON for every error answer: the status text, never a message or stack from inside. */
export function errorBody(status: number, requestId: string): ErrorBody {
  return { error: STATUS_CODES[status] ?? 'Error', status, requestId };
}
