import { DataSource } from 'typeorm';
import { RecapLineError } from './domain/recap-rows';
import { inList } from '../common/database/sql-values';

/** A recap line once its patient is known by pseudonym (a NIR is hashed on arrival; the raw value goes no further). */
export interface ResolvedRecapLine {
  line: number;
  /** Where the line is in a JSON body (`patients[3]`), or null for a CSV line. */
  field: string | null;
  patient: string;
  kind: 'nir' | 'pseudonym';
  administrations: number;
  administrationDates: string[] | null;
  vials: number;
}

/**
 * Checks, a batch at a time, that every patient of a recap is known: a NIR must belong to a
 * registered patient; a pseudonym must be one this establishment registered or treats (another
 * establishment's pseudonym is answered like an unknown one, SPEC §1).
 */
export class RecapPatientCheck {
  constructor(
    private readonly dataSource: DataSource,
    private readonly establishment: string,
  ) {}

  /** The lines whose patient is not known, with the reason. */
  async unknown(lines: readonly ResolvedRecapLine[]): Promise<RecapLineError[]> {
    if (lines.length === 0) return [];
    const postgres = this.dataSource.options.type === 'postgres';
    const pseudonyms = [...new Set(lines.map((l) => l.patient))];
    const rows: { pseudonym: string; finess: string | null }[] = await this.dataSource.query(
      `SELECT p.pseudonym AS pseudonym, l.finess AS finess FROM patients p ` +
        `LEFT JOIN patient_links l ON l.pseudonym = p.pseudonym AND l.finess = ${postgres ? '$1' : '?'} ` +
        `WHERE p.pseudonym IN (${inList(postgres, pseudonyms.length, 1)})`,
      [this.establishment, ...pseudonyms],
    );
    const known = new Map(rows.map((r) => [r.pseudonym, r.finess !== null]));
    const errors: RecapLineError[] = [];
    for (const line of lines) {
      const linked = known.get(line.patient);
      const field = line.field === null ? 'patient' : `${line.field}.patient`;
      if (line.kind === 'nir' && linked === undefined) {
        errors.push({ line: line.line, field, reason: 'is a NIR that no establishment has registered: register the patient first' });
      } else if (line.kind === 'pseudonym' && linked !== true) {
        errors.push({ line: line.line, field, reason: `is not a patient known to this establishment (${line.patient})` });
      }
    }
    return errors;
  }
}
