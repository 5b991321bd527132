import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { checkNir } from './domain/nir';
import { hashNir, pseudonymOf } from './domain/pseudonym';

/** Checks and hashes NIRs with PATIENT_ID_SECRET; the raw NIR goes no further than this. */
@Injectable()
export class PatientIdentity {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The hash and pseudonym of a NIR, or the reason it is not valid. */
  identify(rawNir: string): { ok: true; nirHash: string; pseudonym: string } | { ok: false; reason: string } {
    const checked = checkNir(rawNir);
    if (!checked.ok) return { ok: false, reason: checked.error };
    const nirHash = hashNir(checked.value, this.config.patientIdSecret);
    return { ok: true, nirHash, pseudonym: pseudonymOf(nirHash, this.config.patientIdSecret) };
  }

  /**
   * The pseudonym of a NIR that `checkNir` has already checked and normalised (the recap rules do,
   * once a line): the same two HMACs as `identify`, without checking the NIR a second time.
   */
  pseudonymOfChecked(nir: string): string {
    return pseudonymOf(hashNir(nir, this.config.patientIdSecret), this.config.patientIdSecret);
  }
}
