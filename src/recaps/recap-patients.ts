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
