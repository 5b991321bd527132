import { FieldReason } from '../domain/domain-error';

/** RFC 9457 problem details, as SPEC §11 writes them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors?: FieldReason[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleOf(status: number): string {
  return TITLES[status] ?? 'Error';
}

export function problemType(code: string): string {
  return `https://contingent.example/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
