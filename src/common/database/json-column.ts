import { ValueTransformer } from 'typeorm';

/** JSON kept in a text column, the same on SQLite and PostgreSQL. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null || value === undefined ? null : (JSON.parse(value) as unknown)),
};

/**
 * JSON kept in a text column of a record that is read back for people (the audit trail): a value that is no longer
 * JSON (a row edited by hand) reads as `{ unreadable: true }` instead of failing the whole list; verification still
 * reports that row as a break, from the raw text.
 */
export const recordedJsonText: ValueTransformer = {
  to: jsonText.to,
  from: (value: string | null) => {
    try {
      return jsonText.from(value) as unknown;
    } catch {
      return { unreadable: true };
    }
  },
};

/** Numbers from PostgreSQL numeric/bigint columns arrive as strings. */
export const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
