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
  // Recap lines (src/recaps/domain): checked before the generic patterns below.
  { code: 'RECAP_PATIENT_REQUIRED', pattern: /^is required: a NIR or a pseudonym$/, fr: () => 'obligatoire : un NIR ou un pseudonyme' },
  { code: 'RECAP_PSEUDONYM_INVALID', pattern: /^is not a valid pseudonym: .*$/, fr: () => 'n’est pas un pseudonyme valide : P- suivi de 10 caractères parmi A à Z (sans I ni O) et 2 à 9' },
  { code: 'RECAP_PATIENT_INVALID', pattern: /^is neither a pseudonym nor a valid NIR: .*$/, fr: () => 'n’est ni un pseudonyme ni un NIR valide' },
  { code: 'RECAP_COUNT_OR_DATES', pattern: /^must be a whole number of 0 or more, or (?:a list of dates|dates YYYY-MM-DD separated by \|)(?: \(got (.*)\))?$/, fr: (m) => `doit être un nombre entier supérieur ou égal à 0, ou des dates JJ/MM/AAAA séparées par |${m[1] === undefined ? '' : ` (valeur ${m[1]})`}` },
  { code: 'RECAP_WHOLE_NUMBER', pattern: /^must be a whole number of 0 or more(?: \(got (.*)\))?$/, fr: (m) => `doit être un nombre entier supérieur ou égal à 0${m[1] === undefined ? '' : ` (valeur ${m[1]})`}` },
  { code: 'RECAP_REQUIRED_COUNT', pattern: /^is required: a whole number of 0 or more(, or dates YYYY-MM-DD separated by \|)?$/, fr: (m) => `obligatoire : un nombre entier supérieur ou égal à 0${m[1] === undefined ? '' : ', ou des dates séparées par |'}` },
  { code: 'RECAP_MAX_DATES', pattern: /^must list at most (\d+) dates in a period \(got (\d+)\)$/, fr: (m) => `doit lister au plus ${num(m[1])} dates sur une période (${num(m[2])} données)` },
  { code: 'RECAP_NOT_A_DATE', pattern: /^has (.+), which is not a date YYYY-MM-DD$/, fr: (m) => `contient ${m[1] ?? ''}, qui n’est pas une date` },
  { code: 'RECAP_DATE_OUT_OF_PERIOD', pattern: /^has (\d{4}-\d{2}-\d{2}), which is not in the period (\d{4}-\d{2})$/, fr: (m) => `contient le ${dateFr(m[1])}, hors de la période ${periodFr(m[2])}` },
  { code: 'RECAP_DATE_TWICE', pattern: /^lists (\d{4}-\d{2}-\d{2}) twice$/, fr: (m) => `cite deux fois le ${dateFr(m[1])}` },
  { code: 'RECAP_FIELD_COUNT', pattern: /^has (\d+) fields, expected (\d+) \((.*)\)$/, fr: (m) => `compte ${num(m[1])} champs au lieu de ${num(m[2])} (${m[3] ?? ''})` },
  { code: 'RECAP_HEADER_ONLY', pattern: /^has a header line but no patients$/, fr: () => 'a une ligne d’en-tête mais aucun patient' },
  { code: 'RECAP_TOO_MANY_LINES', pattern: /^has more than (\d+) lines of patients$/, fr: (m) => `compte plus de ${num(m[1])} lignes de patients` },
  { code: 'RECAP_EMPTY_FILE', pattern: /^is empty: expected a header line and one line per patient$/, fr: () => 'est vide : une ligne d’en-tête puis une ligne par patient sont attendues' },
  { code: 'RECAP_LINE_TOO_LONG', pattern: /^is longer than (\d+) characters$/, fr: (m) => `dépasse ${num(m[1])} caractères` },
  { code: 'RECAP_PATIENTS_ARRAY', pattern: /^must be an array of \{ patient, administrations, vials \}$/, fr: () => 'doit être une liste de { patient, administrations, vials }' },
  { code: 'RECAP_MAX_PATIENTS', pattern: /^must list at most (\d+) patients \(got (\d+)\)$/, fr: (m) => `doit lister au plus ${num(m[1])} patients (${num(m[2])} donnés)` },
  { code: 'RECAP_FILE_REQUIRED', pattern: /^is required: the recap CSV$/, fr: () => 'obligatoire : le fichier CSV du récapitulatif' },
  // Refusals' own field reasons (services).
  { code: 'FIELD_INTEGER_MIN_ONE', pattern: /^must be an integer ≥ 1$/, fr: () => 'doit être un nombre entier d’au moins 1' },
  { code: 'FIELD_TEXT_MAX', pattern: /^must be a non-empty text of at most (\d+) characters$/, fr: (m) => `doit être un texte non vide d’au plus ${num(m[1])} caractères` },
  { code: 'FIELD_DATE_OR_LATER', pattern: /^must be (\d{4}-\d{2}-\d{2}) or later$/, fr: (m) => `doit être le ${dateFr(m[1])} ou plus tard` },
  { code: 'FIELD_PERIOD_OR_EARLIER', pattern: /^must be (\d{4}-\d{2}) or earlier$/, fr: (m) => `doit être ${periodFr(m[1])} ou avant` },
  { code: 'FIELD_ON_OR_BEFORE', pattern: /^must be on or before (\d{4}-\d{2}-\d{2})$/, fr: (m) => `doit être le ${dateFr(m[1])} ou avant` },
  { code: 'FIELD_AFTER_DATE', pattern: /^must be after (\d{4}-\d{2}-\d{2}), the latest version's date$/, fr: (m) => `doit être après le ${dateFr(m[1])}, date de la dernière version` },
  { code: 'FIELD_AFTER', pattern: /^after (\d{4}-\d{2}-\d{2})$/, fr: (m) => `après le ${dateFr(m[1])}` },
  { code: 'FIELD_AVAILABLE_FROM', pattern: /^available from (\d{4}-\d{2}-\d{2})$/, fr: (m) => `disponible à partir du ${dateFr(m[1])}` },
  { code: 'FIELD_REPLACED_BY', pattern: /^replaced by (\S+)$/, fr: (m) => `remplacé par ${m[1] ?? ''}` },
  { code: 'FIELD_MUST_BE_CODE', pattern: /^must be ([a-z][a-z0-9-]*)$/, fr: (m) => `doit être ${m[1] ?? ''}` },
  { code: 'FIELD_ALREADY_ORDERED', pattern: /^already ordered for (\d{4}-\d{2})$/, fr: (m) => `déjà commandé pour ${periodFr(m[1])}` },
  { code: 'FIELD_ALREADY_ACTIVE', pattern: /^already has an active (\S+) treatment$/, fr: (m) => `a déjà un traitement actif de ${m[1] ?? ''}` },
  { code: 'FIELD_ALREADY_REQUEST', pattern: /^already has request (\S+)$/, fr: (m) => `a déjà la demande ${m[1] ?? ''}` },
  { code: 'FIELD_ALREADY_EXISTS', pattern: /^already exists$/, fr: () => 'existe déjà' },
  { code: 'FIELD_NOT_INDICATION', pattern: /^is not an indication of (\S+)$/, fr: (m) => `n’est pas une indication de ${m[1] ?? ''}` },
  { code: 'FIELD_NOT_ENABLED_BY', pattern: /^is not enabled by policy version (\d+)$/, fr: (m) => `n’est pas ouverte par la version ${m[1] ?? ''} de la politique` },
  { code: 'FIELD_REQUEST_REQUIRED', pattern: /^is required(?: for an? (\w+) indication)?(?::)? .*policy version (\d+)$/, fr: (m) => `obligatoire${m[1] === undefined ? '' : ` pour une indication ${m[1] === 'urgent' ? 'urgente' : m[1] === 'quota' ? 'sous quota' : m[1]}`} sous la version ${m[2] ?? ''} de la politique` },
  { code: 'FIELD_NOT_OF_ESTABLISHMENT', pattern: /^is not a (patient|recap|granted request) of (?:this|your) establishment$/, fr: (m) => (m[1] === 'patient' ? 'n’est pas un patient de cet établissement' : m[1] === 'recap' ? 'n’est pas un récapitulatif de votre établissement' : 'n’est pas une demande accordée de cet établissement') },
  { code: 'FIELD_NO_ESTABLISHMENT', pattern: /^the caller has no establishment$/, fr: () => 'l’utilisateur n’a pas d’établissement' },
  { code: 'FIELD_UNKNOWN_ESTABLISHMENT', pattern: /^is not a known establishment$/, fr: () => 'n’est pas un établissement connu' },
  { code: 'FIELD_UNKNOWN_MEDICINE', pattern: /^is not a known medicine$/, fr: () => 'n’est pas un médicament connu' },
  { code: 'FIELD_ANOTHER_ESTABLISHMENT', pattern: /^must be another establishment$/, fr: () => 'doit être un autre établissement' },
  { code: 'FIELD_NO_SCHEME', pattern: /^(?:\S+ )?has no compassionate-access scheme(?: visible to you)?$/, fr: () => 'n’a pas de dispositif d’accès compassionnel' },
  { code: 'FIELD_NOT_REGISTERED_JOB', pattern: /^is not a registered job$/, fr: () => 'n’est pas une tâche enregistrée' },
  { code: 'FIELD_JOB_TARGET', pattern: /^must name a medicine and a period YYYY-MM$/, fr: () => 'doit désigner un médicament et une période AAAA-MM' },
  { code: 'FIELD_JOB_PERIOD_TARGET', pattern: /^must name a period YYYY-MM only$/, fr: () => 'doit désigner une période AAAA-MM seulement' },
  { code: 'FIELD_NOTIFICATION_KIND', pattern: /^is not a kind this role receives$/, fr: () => 'n’est pas un type de notification que ce rôle reçoit' },
  { code: 'FIELD_NOTIFICATION_LOCKED', pattern: /^cannot be off for this kind$/, fr: () => 'ne peut pas être désactivé pour ce type' },
  { code: 'FIELD_NOT_YOURS', pattern: /^is not a notification of yours$/, fr: () => 'n’est pas une de vos notifications' },
  { code: 'FIELD_NUL', pattern: /^must not contain a NUL character$/, fr: () => 'ne doit pas contenir de caractère NUL' },
  { code: 'FIELD_NOT_JSON', pattern: /^is not valid JSON$/, fr: () => 'n’est pas du JSON valide' },
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
