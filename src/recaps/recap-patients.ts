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
 * Checks, a batch at a time, that every pseudonym of a recap is one this establishment registered
 * or treats (another establishment's pseudonym is answered like an unknown one, SPEC §1).
 * A NIR is always accepted: the recap is the centre's own list of the patients it treated, and a
 * NIR that no establishment registered is what reconciliation exists to find (UNDECLARED_PATIENT,
 * DUPLICATE_ACROSS_ESTABLISHMENTS when another centre lists the same person). Only its keyed hash
 * (the pseudonym PatientIdentity gives it) is kept.
 */
export class RecapPatientCheck {
  constructor(
    private readonly dataSource: DataSource,
    private readonly establishment: string,
  ) {}

  /** The lines whose patient is not known, with the reason. */
  async unknown(lines: readonly ResolvedRecapLine[]): Promise<RecapLineError[]> {
    const byPseudonym = lines.filter((l) => l.kind === 'pseudonym');
    if (byPseudonym.length === 0) return [];
    const postgres = this.dataSource.options.type === 'postgres';
    const pseudonyms = [...new Set(byPseudonym.map((l) => l.patient))];
    const rows: { pseudonym: string }[] = await this.dataSource.query(
      `SELECT l.pseudonym AS pseudonym FROM patient_links l WHERE l.finess = ${postgres ? '$1' : '?'} AND l.pseudonym IN (${inList(postgres, pseudonyms.length, 1)})`,
      [this.establishment, ...pseudonyms],
    );
    const linked = new Set(rows.map((r) => r.pseudonym));
    const errors: RecapLineError[] = [];
    for (const line of byPseudonym) {
      if (!linked.has(line.patient)) errors.push({ line: line.line, field: line.field === null ? 'patient' : `${line.field}.patient`, reason: `is not a patient known to this establishment (${line.patient})` });
    }
    return errors;
  }
}
