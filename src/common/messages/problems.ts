import { formatterFor, MessageLang } from './formatter';

/**
 * Field reasons of problem details (`errors[].reason`) as the validators and rules state them in
 * English, each matched to a code and its parameters and rendered in French. A reason no pattern
 * knows is kept as stated (and listed by the page test, so a new one gets its French).
 */
interface ReasonPattern {
  code: string;
  pattern: RegExp;
  fr: (m: string[]) => string;
}

const f = formatterFor('fr');
const num = (s: string | undefined): string => (s === undefined || s === '' || Number.isNaN(Number(s)) ? (s ?? '') : f.d(Number(s)));
const dateFr = (s: string | undefined): string => f.date(s ?? '');
const periodFr = (s: string | undefined): string => f.period(s ?? '');

const STOP_REASON_FR: Record<string, string> = {
  progression: 'progression', adverse_event: 'effet indésirable', death: 'décès', patient_wish: 'souhait du patient', transfer: 'transfert', other: 'autre motif',
};

export const REASON_PATTERNS: ReasonPattern[] = [
  // class-validator's own sentences (a decorator without a message of ours): "<property> must …".
  { code: 'FIELD_MAX_LENGTH', pattern: /^\S+ must be shorter than or equal to (\d+) characters$/, fr: (m) => `doit comporter au plus ${num(m[1])} caractères` },
  { code: 'FIELD_MIN_LENGTH', pattern: /^\S+ must be longer than or equal to (\d+) characters$/, fr: (m) => `doit comporter au moins ${num(m[1])} caractères` },
  { code: 'FIELD_MAX', pattern: /^\S+ must not be greater than (-?[\d.]+)$/, fr: (m) => `doit être au plus ${num(m[1])}` },
  { code: 'FIELD_MIN', pattern: /^\S+ must not be less than (-?[\d.]+)$/, fr: (m) => `doit être au moins ${num(m[1])}` },
  { code: 'FIELD_STRING', pattern: /^\S+ must be a string$/, fr: () => 'doit être un texte' },
  { code: 'FIELD_ARRAY', pattern: /^\S+ must be an array$/, fr: () => 'doit être une liste' },
  { code: 'FIELD_REQUIRED', pattern: /^\S+ should not be empty$/, fr: () => 'obligatoire' },
  { code: 'FIELD_ONE_OF', pattern: /^\S+ must be one of the following values: (.+)$/, fr: (m) => `doit être l’une des valeurs : ${m[1] ?? ''}` },
  { code: 'FIELD_UNKNOWN', pattern: /^property \S+ should not exist$/, fr: () => 'champ inconnu' },
  { code: 'FIELD_UNKNOWN', pattern: /^(is not a known field|unknown field|should not exist)$/, fr: () => 'champ inconnu' },
  { code: 'FIELD_REQUIRED', pattern: /^(is required|must not be empty|must be a non-empty string|must be a non-empty sentence|should not be empty)$/, fr: () => 'obligatoire' },
  { code: 'FIELD_STRING', pattern: /^must be a (string|text)$/, fr: () => 'doit être un texte' },
  { code: 'FIELD_DATE', pattern: /^must be a date YYYY-MM-DD$/, fr: () => 'doit être une date (JJ/MM/AAAA)' },
  { code: 'FIELD_REAL_DATE', pattern: /^must be a real date, not in the future$/, fr: () => 'doit être une date réelle, pas dans le futur' },
  { code: 'FIELD_PERIOD', pattern: /^must be a (period|month) YYYY-MM( \(01 to 12\))?$/, fr: () => 'doit être un mois AAAA-MM (01 à 12)' },
  { code: 'FIELD_PERIOD_RANGE', pattern: /^must be a period YYYY-MM from (\d{4}-\d{2}) to (\d{4}-\d{2})$/, fr: (m) => `doit être un mois de ${periodFr(m[1])} à ${periodFr(m[2])}` },
  { code: 'FIELD_INTEGER', pattern: /^must be an integer$/, fr: () => 'doit être un nombre entier' },
  { code: 'FIELD_INTEGER_RANGE', pattern: /^must be an integer from (-?[\d.]+) to (-?[\d.]+)$/, fr: (m) => `doit être un nombre entier de ${num(m[1])} à ${num(m[2])}` },
  { code: 'FIELD_POSITIVE_INTEGER', pattern: /^must be a positive integer$/, fr: () => 'doit être un nombre entier positif' },
  { code: 'FIELD_POSITIVE', pattern: /^must be a positive number$/, fr: () => 'doit être un nombre positif' },
  { code: 'FIELD_POSITIVE_MAX', pattern: /^must be a positive number up to ([\d.]+)$/, fr: (m) => `doit être un nombre positif jusqu’à ${num(m[1])}` },
  { code: 'FIELD_POSITIVE_MG', pattern: /^must be a positive number \(mg in one unit\)$/, fr: () => 'doit être un nombre positif (mg par unité)' },
  { code: 'FIELD_NUMBER', pattern: /^must be a number$/, fr: () => 'doit être un nombre' },
  { code: 'FIELD_MIN_ZERO', pattern: /^must be 0 or more( \(got (-?[\d.]+)\))?$/, fr: (m) => `doit être supérieur ou égal à 0${m[2] === undefined ? '' : ` (valeur ${num(m[2])})`}` },
  { code: 'FIELD_MAX', pattern: /^must be at most ([\d.]+)( .*)?$/, fr: (m) => `doit être au plus ${num(m[1])}${m[2] === undefined ? '' : m[2].replace(' bytes', ' octets').replace(' for one patient in a period', ' pour un patient sur une période').replace(' in a period', ' sur une période').replace(/\(got (-?[\d.]+)\)/, (_w, v: string) => `(valeur ${num(v)})`)}` },
  { code: 'FIELD_MIN', pattern: /^must be at least ([\d.]+)( hour| day)?$/, fr: (m) => `doit être au moins ${num(m[1])}${m[2] === ' hour' ? ' heure' : m[2] === ' day' ? ' jour' : ''}` },
  { code: 'FIELD_LESS_THAN', pattern: /^must be less than ([\d.]+)$/, fr: (m) => `doit être inférieur à ${num(m[1])}` },
  { code: 'FIELD_MAX_LENGTH', pattern: /^must have at most ([\d.]+) characters$/, fr: (m) => `doit comporter au plus ${num(m[1])} caractères` },
  { code: 'FIELD_LENGTH_RANGE', pattern: /^must have 1 to ([\d.]+) characters$/, fr: (m) => `doit comporter de 1 à ${num(m[1])} caractères` },
  { code: 'FIELD_MAX_LINES', pattern: /^must have at most ([\d.]+) lines$/, fr: (m) => `doit comporter au plus ${num(m[1])} lignes` },
  { code: 'FIELD_BOOLEAN', pattern: /^must be true or false$/, fr: () => 'doit être oui ou non' },
  { code: 'FIELD_OBJECT', pattern: /^must be an object.*$/, fr: () => 'doit être un objet' },
  { code: 'FIELD_MEDICINE', pattern: /^must be a medicine code$/, fr: () => 'doit être un code de médicament' },
  { code: 'FIELD_INDICATION', pattern: /^must be an indication code$/, fr: () => 'doit être un code d’indication' },
  { code: 'FIELD_PSEUDONYM', pattern: /^must be a pseudonym$/, fr: () => 'doit être un pseudonyme de patient (P-…)' },
  { code: 'FIELD_REQUEST_ID', pattern: /^must be a request id$/, fr: () => 'doit être un identifiant de demande' },
  { code: 'FIELD_FINESS', pattern: /^must be a FINESS( number)?$/, fr: () => 'doit être un numéro FINESS' },
  { code: 'FIELD_FINESS_FORMAT', pattern: /^must be 9 characters: .*$/, fr: () => 'doit comporter 9 caractères : 2 pour le département (2A/2B pour la Corse) et 7 chiffres' },
  { code: 'FIELD_SEX', pattern: /^must be F or M$/, fr: () => 'doit être F ou M' },
  { code: 'FIELD_LIST_PATIENTS', pattern: /^must be a list of \{ patient \}$|^must list at least one patient$/, fr: () => 'doit lister au moins un patient' },
  { code: 'FIELD_ONE_OF', pattern: /^must be one of (.+)$/, fr: (m) => `doit être l’une des valeurs : ${m[1] ?? ''}` },
  { code: 'FIELD_CHOICE', pattern: /^must be ([\w-]+(?:, [\w-]+)*) or ([\w-]+)$/, fr: () => 'valeur non reconnue : choisissez l’une des valeurs proposées' },
  { code: 'FIELD_TODAY_OR_LATER', pattern: /^must be today \((\d{4}-\d{2}-\d{2})\) or later$/, fr: (m) => `doit être aujourd’hui (${dateFr(m[1])}) ou plus tard` },
  { code: 'FIELD_ON_OR_AFTER', pattern: /^must be on or after (\d{4}-\d{2}-\d{2})$/, fr: (m) => `doit être le ${dateFr(m[1])} ou après` },
  { code: 'FIELD_NOT_BEFORE', pattern: /^must not be before (\d{4}-\d{2})$/, fr: (m) => `ne doit pas précéder ${periodFr(m[1])}` },
  { code: 'FIELD_RANGE_MONTHS', pattern: /^the range must be at most (\d+) months$/, fr: (m) => `la plage doit couvrir au plus ${num(m[1])} mois` },
  { code: 'FIELD_SAME_PATIENT', pattern: /^same patient as lines\[(\d+)\]$/, fr: (m) => `même patient que la ligne ${Number(m[1]) + 1}` },
  { code: 'FIELD_ALREADY_LISTED', pattern: /^lists a patient already listed at line (\d+)$/, fr: (m) => `patient déjà listé à la ligne ${m[1] ?? ''}` },
  { code: 'FIELD_NO_TREATMENT_HERE', pattern: /^no treatment of this medicine at this establishment for this patient$/, fr: () => 'aucun traitement de ce médicament pour ce patient dans cet établissement' },
  { code: 'FIELD_NOT_ENABLED', pattern: /^not enabled by policy version (\d+)$/, fr: (m) => `non ouverte par la version ${m[1] ?? ''} de la politique` },
  { code: 'FIELD_ALREADY_TREATED', pattern: /^already treated$/, fr: () => 'déjà en traitement' },
  { code: 'FIELD_OPEN_REQUEST', pattern: /^open request .+$/, fr: () => 'a déjà une demande en cours' },
  { code: 'FIELD_NOT_GRANTED', pattern: /^is (\w+), not granted$/, fr: () => 'la demande n’est pas accordée' },
  { code: 'FIELD_START_WINDOW', pattern: /^after the (\d+)-day start window$/, fr: (m) => `après le délai de ${num(m[1])} jours pour commencer` },
  { code: 'FIELD_NO_POLICY', pattern: /^no policy of (\S+) (is in force on this date|governs this period)$/, fr: () => 'aucune politique de ce médicament n’est en vigueur à cette date' },
  { code: 'FIELD_NO_RECONCILIATION', pattern: /^has no reconciliation yet$/, fr: () => 'aucun rapprochement n’a encore été fait' },
  { code: 'FIELD_NIR_SEX', pattern: /^does not match the sex digit of the NIR \(1st digit\)$/, fr: () => 'ne correspond pas au sexe indiqué par le NIR (1er chiffre)' },
  { code: 'FIELD_NIR_BIRTH', pattern: /^does not match the birth year and month digits of the NIR \(digits 2 to 5\)$/, fr: () => 'ne correspond pas à l’année et au mois de naissance indiqués par le NIR (chiffres 2 à 5)' },
  { code: 'FIELD_NIR_KEY', pattern: /^the key .*|.*\bkey\b.*$/i, fr: () => 'la clé de contrôle ne correspond pas au NIR (vérifiez les 15 caractères)' },
  { code: 'FIELD_NIR_FORMAT', pattern: /^must be 15 characters.*$|^must be a NIR.*$/, fr: () => 'doit comporter 15 caractères (13 + clé)' },
  { code: 'FIELD_STOP_REASON', pattern: /^(progression|adverse_event|death|patient_wish|transfer|other)$/, fr: (m) => STOP_REASON_FR[m[1] ?? ''] ?? m[1] ?? '' },
];

/** The French of one field reason; unchanged when no pattern knows it. */
export function reasonInFrench(reason: string): string {
  for (const p of REASON_PATTERNS) {
    const m = p.pattern.exec(reason);
    if (m) return p.fr([...m]);
  }
  return reason;
}

export function reasonIn(reason: string, lang: MessageLang): string {
  return lang === 'fr' ? reasonInFrench(reason) : reason;
}

/** The reasons of one field without repeats ("doit être un nombre positif" once, not three times). */
export function distinctReasons(reasons: readonly string[]): string[] {
  return [...new Set(reasons)];
}

/** A field path as a reader says it: `lines[4].patient` → line 5 (1-based), then the field's label. */
export function fieldLabel(field: string, lang: MessageLang, labelOf: (name: string) => string | undefined = (n) => FIELD_LABELS[lang][n]): string {
  const parts = field.split('.');
  const words = parts.map((part) => {
    const indexed = /^(\w+)\[(\d+)\]$/.exec(part);
    if (indexed) {
      const [, name = '', index = '0'] = indexed;
      const line = Number(index) + 1;
      return name === 'lines' ? `${lang === 'fr' ? 'ligne' : 'line'} ${line}` : `${labelOf(name) ?? name} n° ${line}`;
    }
    return labelOf(part) ?? part;
  });
  return words.join(' — ');
}

/** Labels of the API's field names (SPEC §11) as the forms call them. */
export const FIELD_LABELS: Record<MessageLang, Record<string, string>> = {
  fr: {
    patient: 'patient', nir: 'NIR', birthDate: 'date de naissance', sex: 'sexe', weightKg: 'poids (kg)', medicine: 'médicament', indication: 'indication',
    period: 'période', from: 'de', to: 'à', quantity: 'quantité (flacons)', lines: 'lignes', justification: 'justification', rationale: 'motivation',
    decision: 'décision', reason: 'motif', startDate: 'date de début', stopDate: 'date d’arrêt', date: 'date', toEstablishment: 'établissement d’accueil',
    establishment: 'établissement', request: 'demande', rank: 'rang', effectiveFrom: 'date d’effet', mode: 'mode', monthlyCap: 'plafond mensuel',
    quotaPool: 'réserve de quotas', votesRequired: 'votes requis', deadlineHours: 'délai (heures)', startWithinDays: 'délai pour commencer (jours)',
    orderTolerancePct: 'tolérance de commande (%)', schedule: 'schéma posologique', notes: 'notes', file: 'fichier', body: 'contenu', name: 'nom', job: 'tâche',
    administrations: 'administrations', vials: 'flacons', count: 'nombre', followedPatients: 'patients suivis', username: 'nom d’utilisateur', password: 'mot de passe',
    clinical: 'formulaire clinique', comment: 'commentaire', kind: 'type', due: 'échéance', ageYears: 'âge (ans)', delivered: 'quantité livrée',
  },
  en: {
    patient: 'patient', nir: 'NIR', birthDate: 'birth date', sex: 'sex', weightKg: 'weight (kg)', medicine: 'medicine', indication: 'indication',
    period: 'period', from: 'from', to: 'to', quantity: 'quantity (vials)', lines: 'lines', justification: 'justification', rationale: 'rationale',
    decision: 'decision', reason: 'reason', startDate: 'start date', stopDate: 'stop date', date: 'date', toEstablishment: 'receiving establishment',
    establishment: 'establishment', request: 'request', rank: 'rank', effectiveFrom: 'effective from', mode: 'mode', monthlyCap: 'monthly cap',
    quotaPool: 'quota pool', votesRequired: 'votes required', deadlineHours: 'deadline (hours)', startWithinDays: 'start within (days)',
    orderTolerancePct: 'order tolerance (%)', schedule: 'dosing schedule', notes: 'notes', file: 'file', body: 'body', name: 'name', job: 'job',
    administrations: 'administrations', vials: 'vials', count: 'count', followedPatients: 'followed patients', username: 'username', password: 'password',
    clinical: 'clinical form', comment: 'comment', kind: 'kind', due: 'due', ageYears: 'age (years)', delivered: 'delivered quantity',
  },
};
