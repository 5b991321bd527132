import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'yaml';
import type { ClinicalFormSpec } from '../compassionate-access/domain/clinical-form';
import { validateCriteriaVersion, type CriteriaVersion } from '../compassionate-access/domain/eligibility';
import { PublishCriteriaDto } from '../compassionate-access/dto/access-request.dto';
import type { FieldReason } from '../common/domain/domain-error';
import { flattenValidationErrors } from '../common/problem-details/validation';
import { CreateEstablishmentDto } from '../establishments/dto/establishment.dto';
import { withFinessKey } from '../common/domain/finess';
import { checkPolicyDraft } from '../medicines/domain/policy-rules';
import { PublishPolicyDto } from '../medicines/dto/policy.dto';
import { validateDosingSchedule } from '../medicines/domain/dosing-schedule';

/** A scheme file that does not pass the publish API's validation: the file, the path in it and the reason. */
export class SchemeConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FieldReason[],
  ) {
    super(`${file}: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`);
    this.name = 'SchemeConfigError';
  }
}

/**
 * The project root (the folder with package.json and config/), found upwards from this file so that
 * `npm start` (dist/), the compiled CLI and the tests (src/) read the same config/ (STACK.md trap).
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no project root with package.json and config/ above ${from}`);
    dir = up;
  }
}

export const CONFIG_DIR = (): string => join(projectRoot(), 'config');

function readYaml(path: string): { file: string; doc: Record<string, unknown> } {
  const inProject = relative(projectRoot(), path);
  const file = inProject.startsWith('..') ? path : inProject;
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error: unknown) {
    throw new SchemeConfigError(file, [{ field: '', reason: `is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'})` }]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new SchemeConfigError(file, [{ field: '', reason: 'must be a mapping' }]);
  return { file, doc: doc as Record<string, unknown> };
}

/** The validation of a request body: class-validator with `whitelist` and `forbidNonWhitelisted`, as the global pipe. */
function asDto<T extends object>(cls: ClassConstructor<T>, plain: unknown, at: string, problems: FieldReason[]): T | null {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    problems.push({ field: at, reason: 'must be a mapping' });
    return null;
  }
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length === 0) return instance;
  problems.push(...flattenValidationErrors(errors).map((e) => ({ field: `${at}.${e.field}`, reason: e.reason })));
  return null;
}

const list = (doc: Record<string, unknown>, key: string, problems: FieldReason[]): unknown[] => {
  const v = doc[key];
  if (Array.isArray(v)) return v;
  problems.push({ field: key, reason: 'must be a list' });
  return [];
};
const text = (o: unknown, key: string, at: string, problems: FieldReason[]): string => {
  const v = (o as Record<string, unknown> | null)?.[key];
  if (typeof v === 'string' && v !== '') return v;
  problems.push({ field: `${at}.${key}`, reason: 'must be a non-empty text' });
  return '';
};

export interface MedicineConfig {
  code: string;
  name: string;
  unit: string;
  unitMg: number;
  scheme: string;
  indications: { code: string; name: string }[];
}

export interface RationingConfig {
  medicine: MedicineConfig;
  policies: PublishPolicyDto[];
}

function medicineOf(raw: unknown, at: string, problems: FieldReason[]): MedicineConfig {
  const unitMg = (raw as Record<string, unknown> | null)?.unitMg;
  if (typeof unitMg !== 'number' || !(unitMg > 0)) problems.push({ field: `${at}.unitMg`, reason: 'must be a positive number' });
  const indications = (raw as Record<string, unknown> | null)?.indications;
  if (!Array.isArray(indications)) problems.push({ field: `${at}.indications`, reason: 'must be a list' });
  return {
    code: text(raw, 'code', at, problems), name: text(raw, 'name', at, problems), unit: text(raw, 'unit', at, problems), unitMg: unitMg as number,
    scheme: text(raw, 'scheme', at, problems),
    indications: (Array.isArray(indications) ? indications : []).map((i, k) => ({ code: text(i, 'code', `${at}.indications[${k}]`, problems), name: text(i, 'name', `${at}.indications[${k}]`, problems) })),
  };
}

/**
 * A rationing scheme's file (config/nulojix.yaml): its medicine and policy timeline, each version checked as
 * `POST /medicines/{code}/policies` checks it (the DTO, the draft rules against the versions before it, the
 * dosing schedule), the "not in the past" rule aside since the file holds the history.
 */
export function loadRationingScheme(name: string, dir: string = CONFIG_DIR()): RationingConfig {
  const { file, doc } = readYaml(join(dir, `${name}.yaml`));
  const problems: FieldReason[] = [];
  const medicine = medicineOf(doc.medicine, 'medicine', problems);
  const policies: PublishPolicyDto[] = [];
  const published: { version: number; effectiveFrom: string }[] = [];
  list(doc, 'policies', problems).forEach((raw, i) => {
    const at = `policies[${i}]`;
    const dto = asDto(PublishPolicyDto, raw, at, problems);
    if (dto === null) return;
    const draft = checkPolicyDraft(dto, medicine.indications.map((x) => x.code), published, '0000-01-01');
    if (!draft.ok) problems.push(...draft.error.errors.map((e) => ({ field: `${at}.${e.field}`, reason: e.reason })));
    if (dto.schedule !== undefined) {
      const schedule = validateDosingSchedule(dto.schedule, `${at}.schedule`);
      if (!schedule.ok) problems.push(...schedule.error);
    }
    if (i === 0 && dto.schedule === undefined) problems.push({ field: `${at}.schedule`, reason: 'is required on the first version' });
    published.push({ version: i + 1, effectiveFrom: dto.effectiveFrom });
    policies.push(dto);
  });
  if (problems.length > 0) throw new SchemeConfigError(file, problems);
  return { medicine, policies };
}

export interface AccessMedicineConfig {
  code: string;
  name: string;
  unit: string;
  unitMg: number;
  indication: { code: string; name: string };
  prescriberSpecialties: string[];
  meeting: string | null;
  supplier: string | null;
  validityDays: number;
  followUpEveryMonths: number;
  reportVariables: { numeric: string[]; categorical: { name: string; values?: string[] }[] };
  schedule: object;
  availableFrom: string | null;
  replacedBy: string | null;
  replacedFrom: string | null;
}

export interface AccessSchemeConfig {
  scheme: string;
  form: ClinicalFormSpec;
  criteriaVersions: CriteriaVersion[];
  medicines: AccessMedicineConfig[];
}

/**
 * A compassionate-access scheme's file (config/belumosudil.yaml…): its clinical form, criteria versions (each
 * checked as `POST /medicines/{code}/criteria` checks it: the DTO, then every JsonLogic rule) and medicines with
 * their dosing schedules.
 */
export function loadAccessScheme(name: string, dir: string = CONFIG_DIR()): AccessSchemeConfig {
  const { file, doc } = readYaml(join(dir, `${name}.yaml`));
  const problems: FieldReason[] = [];
  const scheme = typeof doc.scheme === 'string' ? doc.scheme : (problems.push({ field: 'scheme', reason: 'must be a non-empty text' }), '');
  const form = doc.form;
  if (typeof form !== 'object' || form === null || Array.isArray(form)) problems.push({ field: 'form', reason: 'must be a mapping of the clinical form\'s fields' });
  const criteriaVersions: CriteriaVersion[] = [];
  list(doc, 'criteriaVersions', problems).forEach((raw, i) => {
    const at = `criteriaVersions[${i}]`;
    const dto = asDto(PublishCriteriaDto, raw, at, problems);
    if (dto === null) return;
    const checked = validateCriteriaVersion({ scheme, version: dto.version, effectiveFrom: dto.effectiveFrom, criteria: dto.criteria });
    if (!checked.ok) {
      problems.push(...checked.error.map((e) => ({ field: `${at}.${e.field}`, reason: e.reason })));
      return;
    }
    criteriaVersions.push(checked.value);
  });
  const medicines = list(doc, 'medicines', problems).map((raw, i) => {
    const at = `medicines[${i}]`;
    const m = raw as AccessMedicineConfig;
    text(raw, 'code', at, problems);
    text(raw, 'name', at, problems);
    if (!(typeof m.unitMg === 'number' && m.unitMg > 0)) problems.push({ field: `${at}.unitMg`, reason: 'must be a positive number' });
    if (!Array.isArray(m.prescriberSpecialties) || m.prescriberSpecialties.length === 0) problems.push({ field: `${at}.prescriberSpecialties`, reason: 'must name at least one specialty' });
    if (!Number.isInteger(m.validityDays) || m.validityDays < 1) problems.push({ field: `${at}.validityDays`, reason: 'must be an integer of at least 1' });
    const schedule = validateDosingSchedule(m.schedule, `${at}.schedule`);
    if (!schedule.ok) problems.push(...schedule.error);
    return m;
  });
  if (problems.length > 0) throw new SchemeConfigError(file, problems);
  return { scheme, form: form as ClinicalFormSpec, criteriaVersions, medicines };
}

export interface CentreConfig {
  body: string;
  name: string;
  city: string;
  region: string;
  category: 'CHU' | 'CHG' | 'ESPIC';
  followedPatients: number;
  transplantCentre: boolean;
}

/** The demo centres (config/centres.yaml), each checked as `POST /establishments` checks it. */
export function loadCentres(dir: string = CONFIG_DIR()): CentreConfig[] {
  const { file, doc } = readYaml(join(dir, 'centres.yaml'));
  const problems: FieldReason[] = [];
  const centres = list(doc, 'centres', problems).map((raw, i) => {
    const at = `centres[${i}]`;
    const c = raw as CentreConfig;
    if (typeof c.body !== 'string' || !/^(\d{2}|2A|2B)\d{6}$/.test(c.body)) {
      problems.push({ field: `${at}.body`, reason: 'must be the 8 first characters of a FINESS number' });
      return c;
    }
    asDto(CreateEstablishmentDto, { finess: withFinessKey(c.body), name: c.name, region: c.region, category: c.category, transplantCentre: c.transplantCentre }, at, problems);
    if (!Number.isInteger(c.followedPatients) || c.followedPatients < 0) problems.push({ field: `${at}.followedPatients`, reason: 'must be an integer ≥ 0' });
    return c;
  });
  if (problems.length > 0) throw new SchemeConfigError(file, problems);
  return centres;
}
