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
