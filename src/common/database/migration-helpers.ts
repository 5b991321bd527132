import { TableColumnOptions } from 'typeorm';

/** Column shorthands that mean the same on SQLite and PostgreSQL. */
export const col = {
  id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true }),
  str: (name: string, length = 255, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable }),
  text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  int: (name: string, nullable = false, defaultValue?: number): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable, default: defaultValue }),
  real: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'real', isNullable: nullable }),
  bool: (name: string, defaultValue?: boolean): TableColumnOptions => ({ name, type: 'boolean', isNullable: false, default: defaultValue }),
  /** ISO 8601 UTC instant as text. */
  instant: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '30', isNullable: nullable }),
  /** YYYY-MM-DD. */
  date: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '10', isNullable: nullable }),
  /** YYYY-MM. */
  period: (name = 'period', nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '7', isNullable: nullable }),
  finess: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '9', isNullable: nullable }),
  pseudonym: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '12', isNullable: nullable }),
};

export function pk(option: TableColumnOptions): TableColumnOptions {
  return { ...option, isPrimary: true };
}
