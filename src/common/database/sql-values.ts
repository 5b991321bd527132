/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`: the VALUES list of a multi-row insert, for the driver in use. */
export function valuesList(postgres: boolean, rows: number, columns: number): string {
  const groups: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const slots: string[] = [];
    for (let c = 0; c < columns; c++) slots.push(postgres ? `$${++n}` : '?');
    groups.push(`(${slots.join(', ')})`);
  }
  return groups.join(', ');
}

/** `?, ?, ?` or `$k, $k+1, …` for an IN list starting after `offset` parameters. */
export function inList(postgres: boolean, count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => (postgres ? `$${offset + i + 1}` : '?')).join(', ');
}

/** The rows of an `UPDATE … RETURNING`: PostgreSQL's driver answers `[rows, count]`, better-sqlite3 the rows. */
export function returnedRows<T>(manager: { connection: { options: { type: string } } }, result: unknown): T[] {
  return manager.connection.options.type === 'postgres' ? (result as [T[], number])[0] : (result as T[]);
}

/** `['?', '?']` or `['$1', '$2']`: the `count` positional parameters of a raw statement, for the driver of `manager`. */
export function placeholders(manager: { connection: { options: { type: string } } }, count: number): string[] {
  const postgres = manager.connection.options.type === 'postgres';
  return Array.from({ length: count }, (_, i) => (postgres ? `$${i + 1}` : '?'));
}

/**
 * The parameters of one statement composed of several owners' fragments (a decision reads the policy, the patient,
 * the treatments and the counters at once): `bind` answers the placeholder of the next parameter, `$n` on
 * PostgreSQL, `?` on SQLite — which binds `?` in the order they appear in the text, so fragments are bound in the
 * order the statement's text names them.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  private readonly postgres: boolean;

  constructor(manager: { connection: { options: { type: string } } }) {
    this.postgres = manager.connection.options.type === 'postgres';
  }

  bind(value: unknown): string {
    this.values.push(value);
    return this.postgres ? `$${this.values.length}` : '?';
  }
}

/** A boolean SQL expression's value as either driver answers it (`true` on PostgreSQL, `1` on SQLite). */
export function sqlTrue(value: unknown): boolean {
  return value === true || Number(value) === 1;
}
