import { ErrorParams, describeDomainErrorsWith } from '../domain/domain-error';
import { MessageFormatter, MessageLang, formatterFor } from './formatter';
import { fieldLabel } from './problems';

/**
 * The sentence of every problem code (issue #17): a problem's `detail` is rendered here from its
 * code and parameters, in French or English, with the language's number, date and month formats.
 * Each code declares its parameters and their kinds; the catalogue test renders every code thrown
 * in the code base in both languages and checks that each sentence uses every parameter.
 */
export type ParamKind = 'int' | 'num' | 'bool' | 'text' | 'text?' | 'date' | 'date?' | 'period' | 'instant' | 'list';

type ValueOf<K extends ParamKind> = K extends 'int' | 'num' ? number : K extends 'bool' ? boolean : K extends 'list' ? readonly string[] : K extends 'text?' | 'date?' ? string | null : string;
type ParamsOf<K extends Record<string, ParamKind>> = { [N in keyof K]: ValueOf<K[N]> };
type Template<K extends Record<string, ParamKind>> = (p: ParamsOf<K>, f: MessageFormatter) => string;

export interface ProblemMessage<K extends Record<string, ParamKind> = Record<string, ParamKind>> {
  params: K;
  fr: Template<K>;
  en: Template<K>;
}

const problem = <K extends Record<string, ParamKind>>(params: K, fr: Template<K>, en: Template<K>): ProblemMessage<K> => ({ params, fr, en });
const fixed = (fr: string, en: string): ProblemMessage<Record<never, ParamKind>> => problem({}, () => fr, () => en);

/** Labels of the states a refusal names (a request's, an order's, an access request's). */
const STATE_FR: Record<string, string> = {
  pending_review: 'en revue par le comité', granted: 'accordée', waitlisted: 'en file d’attente', rejected: 'refusée', withdrawn: 'retirée',
  expired: 'expirée', started: 'démarrée', submitted: 'déposée', flagged: 'signalée', confirmed: 'confirmée', reduced: 'réduite', refused: 'refusée',
  countersigned: 'contresignée', meeting_review: 'en revue par la réunion', authorised: 'autorisée', excluded: 'exclue', active: 'actif', stopped: 'arrêté',
  transferred: 'transféré', pending: 'en attente',
};
const ROLE_FR: Record<string, string> = { pharmacist: 'pharmacien', prescriber: 'prescripteur', committee: 'comité', lab: 'laboratoire', agency: 'agence' };
const MODE_FR: Record<string, string> = { unrestricted: 'sans restriction', 'freed-stock': 'stock libéré', capped: 'plafonné' };
const KIND_FR: Record<string, string> = { urgent: 'urgente', quota: 'sous quota', open: 'ouverte' };
const mode = (m: string): string => MODE_FR[m] ?? m;
const kind = (k: string): string => KIND_FR[k] ?? k;
const state = (s: string): string => STATE_FR[s] ?? s;
const role = (r: string): string => ROLE_FR[r] ?? r;
const STOP_REASON_FR: Record<string, string> = { progression: 'progression', adverse_event: 'effet indésirable', death: 'décès', patient_wish: 'souhait du patient', transfer: 'transfert', other: 'autre motif' };
const OUTAGE = {
  fr: { full: 'La base de données n’a plus d’espace libre', io: 'La base de données ne peut plus lire ou écrire son stockage', unreachable: 'La base de données est injoignable', busy: 'La base de données est occupée' } as Record<string, string>,
  en: { full: 'The database has no space left', io: 'The database could not read or write its storage', unreachable: 'The database cannot be reached', busy: 'The database is busy' } as Record<string, string>,
};
const VERDICT_FR: Record<string, string> = { eligible: 'éligible', not_eligible: 'non éligible', incomplete: 'incomplète', non_protocol: 'hors protocole' };
const RESULT_FR: Record<string, string> = { met: 'rempli', not_met: 'non rempli', unknown: 'non évaluable' };
const DECISION_FR: Record<string, string> = { reject: 'Un avis défavorable de la réunion', derogation: 'Une autorisation par dérogation', refuse: 'Un refus', exclude: 'Une exclusion', authorise: 'Une autorisation' };
const ACTION_FR: Record<string, string> = { countersign: 'contreseing', meeting: 'réunion', decide: 'décision', renew: 'renouvellement', stop: 'arrêt' };
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const errorsFr = (n: number, f: MessageFormatter): string => f.count(n, { one: 'erreur', other: 'erreurs' });
const errorsEn = (n: number, f: MessageFormatter): string => f.count(n, { one: 'error', other: 'errors' });

export const PROBLEM_MESSAGES = {
  // The HTTP layer, validation, authentication (src/common, src/auth, src/web).
  VALIDATION_FAILED: problem(
    { fields: 'list' },
    (p, f) => `Certaines valeurs ne sont pas valides : ${f.list([...p.fields])}.`,
    (p, f) => `The request is not valid: ${f.list([...p.fields])}.`,
  ),
  BAD_REQUEST: fixed('La demande n’a pas pu être lue.', 'The request could not be read.'),
  MALFORMED_JSON: fixed('Le contenu envoyé n’est pas du JSON valide.', 'The request body is not valid JSON.'),
  MALFORMED_UPLOAD: fixed(
    'Le formulaire envoyé est incomplet ou mal formé (il se termine sans sa limite de fin) : rien n’a été enregistré.',
    'The multipart/form-data body is malformed or incomplete (e.g. it ends without its closing boundary); nothing was stored.',
  ),
  NUL_CHARACTER: fixed('La demande contient un caractère NUL (%00 ou \\u0000), qu’aucun champ n’accepte.', 'The request contains a NUL character (%00 or \\u0000), which no field accepts.'),
  BODY_TOO_DEEP: problem(
    { maxDepth: 'int' },
    (p, f) => `Le contenu imbrique des listes ou des objets sur plus de ${f.n(p.maxDepth)} niveaux.`,
    (p, f) => `The request body nests arrays or objects deeper than ${f.n(p.maxDepth)} levels.`,
  ),
  PAYLOAD_TOO_LARGE: problem(
    { maxBytes: 'int' },
    (p, f) => `Le contenu dépasse les ${f.n(p.maxBytes)} octets acceptés par cette adresse.`,
    (p, f) => `The request body is larger than the ${f.n(p.maxBytes)} bytes this route accepts.`,
  ),
  UNSUPPORTED_MEDIA_TYPE: fixed(
    'Le contenu doit être du JSON en UTF-8, non compressé (ou un formulaire multipart là où une adresse reçoit un fichier).',
    'The API reads uncompressed UTF-8 application/json bodies only (and multipart/form-data where a route takes a file).',
  ),
  UNSUPPORTED_CONTENT_ENCODING: fixed('Le contenu ne doit pas être compressé (pas d’en-tête Content-Encoding).', 'The request body must not be compressed (no Content-Encoding).'),
  UNAUTHENTICATED: fixed('Connectez-vous pour continuer : un jeton valide est nécessaire.', 'A valid bearer token is required.'),
  INVALID_CREDENTIALS: fixed('Nom d’utilisateur inconnu ou mot de passe erroné.', 'Unknown username or wrong password.'),
  USER_NOT_FOUND: fixed('L’utilisateur connecté n’existe plus.', 'The signed-in user no longer exists.'),
  ROLE_NOT_ALLOWED: problem(
    { role: 'text', allowed: 'list' },
    (p, f) => `Le rôle ${role(p.role)} ne permet pas cette action (rôles autorisés : ${f.list(p.allowed.map(role))}).`,
    (p, f) => `The ${p.role} role may not call this (allowed: ${f.list([...p.allowed])}).`,
  ),
  FORBIDDEN: fixed('Votre rôle ne permet pas cette action.', 'Your role does not allow this.'),
  CROSS_SITE_REQUEST: fixed('Ce formulaire doit être envoyé depuis une page de ce site.', 'This form must be sent from a page of this site.'),
  TOO_MANY_REQUESTS: fixed('Trop de tentatives : attendez une minute puis réessayez.', 'Too many attempts; wait a minute and try again.'),
  NOT_FOUND: fixed('Élément introuvable.', 'Not found.'),
  METHOD_NOT_ALLOWED: problem(
    { method: 'text', allowed: 'list' },
    (p, f) => `La méthode ${p.method} n’est pas acceptée ici ; méthodes acceptées : ${f.list([...p.allowed])}.`,
    (p) => `${p.method} is not allowed here; allowed: ${p.allowed.join(', ')}.`,
  ),
  CONFLICT: fixed('Cette action est en conflit avec l’état actuel.', 'This action conflicts with the current state.'),
  UNPROCESSABLE: fixed('Cette demande ne peut pas être traitée.', 'This request cannot be processed.'),
  HTTP_ERROR: fixed('La demande a échoué.', 'The request failed.'),
  UNEXPECTED_ERROR: problem(
    { correlationId: 'text' },
    (p) => `Une erreur inattendue s’est produite (identifiant de corrélation ${p.correlationId}).`,
    (p) => `An unexpected error occurred (correlation id ${p.correlationId}).`,
  ),
  DATABASE_UNAVAILABLE: problem(
    { reason: 'text' },
    (p) => `${OUTAGE.fr[p.reason] ?? `Un composant est indisponible (${p.reason})`} : rien n’a été enregistré. Réessayez plus tard.`,
    (p) => `${OUTAGE.en[p.reason] ?? `A component is unavailable (${p.reason})`}; nothing was saved. Retry later.`,
  ),
  PERIOD_INVALID: problem(
    { period: 'text' },
    (p) => `La période ${p.period} n’est pas un mois AAAA-MM.`,
    (p) => `Period ${p.period} is not a month YYYY-MM.`,
  ),
  IDEMPOTENCY_KEY_INVALID: fixed('L’en-tête Idempotency-Key doit comporter de 1 à 200 caractères.', 'The Idempotency-Key header must have 1 to 200 characters.'),
  IDEMPOTENCY_KEY_REUSED: fixed('Cette clé d’idempotence a déjà servi pour une autre demande ou une autre adresse.', 'This Idempotency-Key was used with another request body or route.'),
  IDEMPOTENCY_REQUEST_IN_PROGRESS: fixed('Une demande avec cette clé d’idempotence est encore en cours : réessayez plus tard.', 'A request with this Idempotency-Key is still being processed; retry later.'),

  // Initiation requests, the committee and allocations (src/allocation).
  REQUEST_NOT_FOUND: problem({ requestId: 'text' }, (p) => `Demande d’initiation ${p.requestId} introuvable.`, (p) => `No initiation request ${p.requestId}.`),
  ALLOCATION_NOT_FOUND: problem(
    { medicine: 'text', period: 'period' },
    (p, f) => `L’allocation de ${p.medicine} pour ${f.period(p.period)} n’est pas encore calculée (elle l’est à la première demande de la période, par la tâche de début de période ou par le bouton « Calculer »).`,
    (p) => `The ${p.medicine} allocation of ${p.period} has not been computed yet (it is computed on the period's first request, by the period-start job, or by POST …/compute).`,
  ),
  OWN_ESTABLISHMENT_VOTE: problem({ requestId: 'text' }, (p) => `Demande d’initiation ${p.requestId} introuvable.`, (p) => `Request ${p.requestId} was not found.`),
  NOT_A_TRANSPLANT_CENTRE: problem({ establishment: 'text' }, (p) => `L’établissement ${p.establishment} n’est pas un centre de greffe.`, (p) => `Establishment ${p.establishment} is not a transplant centre.`),
  ESTABLISHMENT_REQUIRED: fixed('Seul un utilisateur d’un établissement peut déposer une demande d’initiation.', 'Only a user of an establishment can submit an initiation request.'),
  NO_POLICY_IN_FORCE: problem(
    { medicine: 'text', date: 'date' },
    (p, f) => `Aucune politique de ${p.medicine} n’est en vigueur le ${f.date(p.date)}.`,
    (p) => `No ${p.medicine} policy is in force on ${p.date}.`,
  ),
  INDICATION_NOT_ENABLED: problem(
    { indication: 'text', medicine: 'text?', policyVersion: 'int' },
    (p, f) => `L’indication ${p.indication} n’est pas ouverte${p.medicine === null ? '' : ` pour ${p.medicine}`} par la version ${f.n(p.policyVersion)} de la politique.`,
    (p) => `Indication ${p.indication} is not enabled${p.medicine === null ? '' : ` for ${p.medicine}`} by policy version ${p.policyVersion}.`,
  ),
  WEIGHT_INVALID: problem(
    { weightKg: 'num' },
    (p, f) => `Le poids doit être un nombre positif de kilogrammes inférieur à 500, pas ${f.d(p.weightKg)}.`,
    (p) => `Weight must be a positive number of kg below 500, not ${p.weightKg}.`,
  ),
  RANK_INVALID: problem({ rank: 'num' }, (p, f) => `Le rang doit être un nombre entier positif, pas ${f.d(p.rank)}.`, (p) => `Rank must be a positive integer, not ${p.rank}.`),
  RATIONALE_REQUIRED: fixed('Un vote doit être motivé.', 'A vote needs a rationale.'),
  PATIENT_ALREADY_TREATED: problem(
    { medicine: 'text' },
    (p) => `Ce patient a déjà un traitement actif de ${p.medicine} : une poursuite ne demande pas de demande d’initiation.`,
    (p) => `This patient already has an active ${p.medicine} treatment; a continuation needs no initiation request.`,
  ),
  PATIENT_ALREADY_REQUESTING: problem(
    { medicine: 'text', requestId: 'text' },
    (p) => `Ce patient a déjà une demande d’initiation de ${p.medicine} en cours (${p.requestId}).`,
    (p) => `This patient already has an open ${p.medicine} initiation request (${p.requestId}).`,
  ),
  REQUEST_ALREADY_DECIDED: problem({ requestId: 'text', status: 'text' }, (p) => `La demande ${p.requestId} est déjà ${state(p.status)}.`, (p) => `Request ${p.requestId} is already ${p.status}.`),
  NOT_PENDING_REVIEW: problem(
    { requestId: 'text', status: 'text' },
    (p) => `La demande ${p.requestId} est ${state(p.status)}, elle n’attend pas l’avis du comité.`,
    (p) => `Request ${p.requestId} is ${p.status}, not pending committee review.`,
  ),
  ALREADY_VOTED: problem({ requestId: 'text' }, (p) => `Vous avez déjà voté sur la demande ${p.requestId}.`, (p) => `You have already voted on request ${p.requestId}.`),
  REQUEST_NOT_WITHDRAWABLE: problem(
    { requestId: 'text', status: 'text' },
    (p) => `La demande ${p.requestId} est ${state(p.status)} : seule une demande en attente, en file ou accordée (non commencée) peut être retirée.`,
    (p) => `Request ${p.requestId} is ${p.status}; only a pending, waitlisted or granted (not started) request can be withdrawn.`,
  ),
  RANK_NOT_CHANGEABLE: problem(
    { requestId: 'text', status: 'text' },
    (p) => `La demande ${p.requestId} est ${state(p.status)} : seule une demande de quota en file d’attente peut être reclassée.`,
    (p) => `Request ${p.requestId} is ${p.status}; only a waiting quota request can be ranked.`,
  ),
  REQUEST_NOT_GRANTED: problem(
    { requestId: 'text', status: 'text' },
    (p) => `La demande ${p.requestId} est ${state(p.status)} : seule une demande accordée permet de commencer un traitement.`,
    (p) => `Request ${p.requestId} is ${p.status}; only a granted request can start a treatment.`,
  ),
  GRANT_EXPIRED: problem(
    { requestId: 'text', grantedOn: 'date', startWithinDays: 'int', startDate: 'date' },
    (p, f) => `L’accord de la demande ${p.requestId} (${f.date(p.grantedOn)}) devait être utilisé dans un délai de ${f.count(p.startWithinDays, { one: 'jour', other: 'jours' })} : le ${f.date(p.startDate)} est trop tard.`,
    (p, f) => `The grant of request ${p.requestId} (${p.grantedOn}) had to be started within ${f.count(p.startWithinDays, { one: 'day', other: 'days' })}; ${p.startDate} is too late.`,
  ),
  CENTRE_QUOTA_EXHAUSTED: problem(
    { period: 'period', used: 'int', slots: 'int' },
    (p, f) => `Quota du centre épuisé : ${f.n(p.used)} ${f.word(p.used, { one: 'place', other: 'places' })} sur ${f.n(p.slots)} ${f.word(p.used, { one: 'utilisée', other: 'utilisées' })} pour ${f.period(p.period)}.`,
    (p, f) => `Centre quota used up: ${f.n(p.used)} of ${f.count(p.slots, { one: 'slot', other: 'slots' })} used for ${p.period}.`,
  ),
  QUOTA_POOL_EXHAUSTED: problem(
    { period: 'period', granted: 'int', quotaPool: 'int' },
    (p, f) => `Réserve nationale de quotas épuisée : ${f.n(p.granted)} sur ${f.n(p.quotaPool)} accordées pour ${f.period(p.period)}.`,
    (p, f) => `National quota pool used up: ${f.n(p.granted)} of ${f.n(p.quotaPool)} granted for ${p.period}.`,
  ),
  NATIONAL_CAPACITY_EXHAUSTED: problem(
    { period: 'period', granted: 'int', capacity: 'int' },
    (p, f) => `Capacité nationale épuisée : ${f.n(p.granted)} initiations sur ${f.n(p.capacity)} accordées pour ${f.period(p.period)}.`,
    (p, f) => `National capacity used up: ${f.n(p.granted)} of ${f.n(p.capacity)} initiations granted for ${p.period}.`,
  ),

  // Treatments (src/treatments).
  TREATMENT_NOT_FOUND: problem(
    { treatmentId: 'text?' },
    (p) => (p.treatmentId === null ? 'Seul un établissement déclare des traitements.' : `Traitement ${p.treatmentId} introuvable dans cet établissement.`),
    (p) => (p.treatmentId === null ? 'Only an establishment declares treatments.' : `No treatment ${p.treatmentId} at this establishment.`),
  ),
  TREATMENT_NOT_ACTIVE: problem(
    { status: 'text?', since: 'date?' },
    (p, f) => (p.status === null ? 'Ce traitement vient d’être arrêté ou transféré.' : `Ce traitement n’est plus actif : ${state(p.status)} depuis le ${p.since === null ? 'une date inconnue' : f.date(p.since)}.`),
    (p) => (p.status === null ? 'The treatment was stopped or moved meanwhile.' : `The treatment is no longer active: ${p.status} since ${p.since ?? 'an unknown date'}.`),
  ),
  TREATMENT_ALREADY_ACTIVE: problem(
    { medicine: 'text', here: 'bool', since: 'date?' },
    (p, f) => `Ce patient a déjà un traitement actif de ${p.medicine} ${p.here ? 'ici' : 'dans un autre établissement (déclarez plutôt un transfert depuis celui-ci)'}${p.since === null ? '' : `, commencé le ${f.date(p.since)}`}.`,
    (p) => `This patient already has an active ${p.medicine} treatment ${p.here ? 'here' : 'at another establishment (declare a transfer from there instead)'}${p.since === null ? '' : `, started ${p.since}`}.`,
  ),
  TREATMENT_DATE_INVALID: problem(
    { field: 'text', date: 'text' },
    (p) => `${capitalize(fieldLabel(p.field, 'fr'))} « ${p.date} » n’est pas une date du calendrier.`,
    (p) => `${p.field} "${p.date}" is not a calendar date.`,
  ),
  TREATMENT_DATE_IN_FUTURE: problem(
    { field: 'text', date: 'date', today: 'date' },
    (p, f) => `${capitalize(fieldLabel(p.field, 'fr'))} (${f.date(p.date)}) est après aujourd’hui (${f.date(p.today)}) : seul ce qui a eu lieu peut être déclaré.`,
    (p) => `${p.field} ${p.date} is after today (${p.today}): only what happened can be declared.`,
  ),
  TREATMENT_WEIGHT_INVALID: problem(
    { weightKg: 'num' },
    (p, f) => `Le poids ${f.d(p.weightKg)} kg n’est pas un poids entre 0 et 400 kg.`,
    (p) => `Weight ${p.weightKg} kg is not a weight between 0 and 400 kg.`,
  ),
  STOP_BEFORE_START: problem(
    { date: 'date', startDate: 'date' },
    (p, f) => `La date d’arrêt (${f.date(p.date)}) précède le début du traitement (${f.date(p.startDate)}).`,
    (p) => `Stop date ${p.date} is before the treatment's start on ${p.startDate}.`,
  ),
  STOP_BEFORE_TRANSFER: problem(
    { date: 'date', since: 'date' },
    (p, f) => `La date d’arrêt (${f.date(p.date)}) précède le transfert vers cet établissement (${f.date(p.since)}).`,
    (p) => `Stop date ${p.date} is before the transfer to this establishment on ${p.since}.`,
  ),
  STOP_REASON_INVALID: problem(
    { reason: 'text', allowed: 'list' },
    (p, f) => `Le motif d’arrêt « ${p.reason} » n’est pas reconnu (motifs : ${f.list(p.allowed.map((r) => stopReasonLabel(r, 'fr')))}).`,
    (p) => `Stop reason "${p.reason}" is not one of ${p.allowed.join(', ')}.`,
  ),
  TRANSFER_BEFORE_START: problem(
    { date: 'date', since: 'date' },
    (p, f) => `La date de transfert (${f.date(p.date)}) précède l’arrivée du traitement dans cet établissement (${f.date(p.since)}).`,
    (p) => `Transfer date ${p.date} is before ${p.since}.`,
  ),
  TRANSFER_TO_SAME_ESTABLISHMENT: problem(
    { establishment: 'text' },
    (p) => `Le traitement est déjà dans l’établissement ${p.establishment}.`,
    (p) => `The treatment is already at establishment ${p.establishment}.`,
  ),
  TRANSFER_ESTABLISHMENT_UNKNOWN: problem(
    { establishment: 'text' },
    (p) => `Aucun établissement ${p.establishment} vers lequel transférer le traitement.`,
    (p) => `No establishment ${p.establishment} to transfer the treatment to.`,
  ),
  REQUEST_REQUIRED: problem(
    { policyVersion: 'int', mode: 'text', effectiveFrom: 'date', indication: 'text', kind: 'text?', registration: 'bool' },
    (p, f) =>
      `La version ${f.n(p.policyVersion)} de la politique (${mode(p.mode)}, depuis le ${f.date(p.effectiveFrom)}) ` +
      (p.registration
        ? `demande d’enregistrer les initiations : déposez une demande d’initiation pour ${p.indication}${p.kind === null ? '' : ` (${kind(p.kind)})`} (accordée aussitôt) et commencez depuis celle-ci.`
        : `demande une demande d’initiation accordée pour l’indication ${p.indication}${p.kind === null ? '' : ` (${kind(p.kind)})`} : commencez depuis la demande.`),
    (p) =>
      `Under policy version ${p.policyVersion} (${p.mode}, from ${p.effectiveFrom}), ` +
      (p.registration
        ? `initiations are registered on the platform: file an initiation request for ${p.indication}${p.kind === null ? '' : ` (${p.kind})`} (granted at once) and start from it with { request }.`
        : `indication ${p.indication}${p.kind === null ? '' : ` (${p.kind})`} needs a granted initiation request: start from the request with { request }.`),
  ),
  INDICATION_UNKNOWN: problem(
    { indication: 'text', medicine: 'text' },
    (p) => `${p.indication} n’est pas une indication de ${p.medicine}.`,
    (p) => `${p.indication} is not an indication of ${p.medicine}.`,
  ),
  POLICY_NOT_IN_FORCE: problem(
    { medicine: 'text', date: 'date' },
    (p, f) => `Aucune politique de ${p.medicine} n’est en vigueur le ${f.date(p.date)}.`,
    (p) => `No policy of ${p.medicine} is in force on ${p.date}.`,
  ),

  // Orders (src/orders): line numbers counted from 1.
  ORDER_NOT_FOUND: problem(
    { orderId: 'text?' },
    (p) => (p.orderId === null ? 'Seul un établissement passe des commandes.' : `Commande ${p.orderId} introuvable pour cet établissement.`),
    (p) => (p.orderId === null ? 'Only an establishment orders.' : `No order ${p.orderId} for this establishment.`),
  ),
  ORDER_DUPLICATE: problem(
    { establishment: 'text', orderId: 'text?', status: 'text?', medicine: 'text', period: 'period' },
    (p, f) =>
      `L’établissement ${p.establishment} a déjà ${p.orderId === null ? 'une commande' : `la commande ${p.orderId}${p.status === null ? '' : ` (${state(p.status)})`}`} de ${p.medicine} pour ${f.period(p.period)} : seule une commande refusée peut être remplacée.`,
    (p) =>
      `Establishment ${p.establishment} already has ${p.orderId === null ? 'an order' : `order ${p.orderId}${p.status === null ? '' : ` (${p.status})`}`} of ${p.medicine} for ${p.period}; only a refused order may be replaced.`,
  ),
  ORDER_ALREADY_DECIDED: problem(
    { orderId: 'text?', status: 'text?' },
    (p) => `${p.orderId === null ? 'Cette commande' : `La commande ${p.orderId}`} a déjà été décidée${p.status === null ? '' : ` (${state(p.status)})`}.`,
    (p) => `${p.orderId === null ? 'The order' : `Order ${p.orderId}`} was already decided${p.status === null ? '' : ` (${p.status})`}.`,
  ),
  ORDER_QUANTITY_INVALID: problem(
    { quantity: 'num', reduced: 'bool' },
    (p, f) => `La quantité ${p.reduced ? 'réduite' : 'commandée'} (${f.d(p.quantity)}) n’est pas un nombre entier de flacons${p.reduced ? '' : ' d’au moins 1'}.`,
    (p) => `The ${p.reduced ? 'reduced' : 'ordered'} quantity ${p.quantity} is not a whole number of vials${p.reduced ? '' : ' of at least 1'}.`,
  ),
  ORDER_PERIOD_OUT_OF_WINDOW: problem(
    { period: 'text', from: 'period', to: 'period' },
    (p, f) => `La période ${f.period(p.period)} est en dehors de la fenêtre de commande, de ${f.period(p.from)} à ${f.period(p.to)}.`,
    (p) => `Period ${p.period} is outside the order window ${p.from} to ${p.to}.`,
  ),
  ORDER_JUSTIFICATION_REQUIRED: fixed(
    'La politique demande que chaque commande liste les patients traités auxquels elle est destinée : la commande n’a aucune ligne.',
    'The policy requires each order to list the treated patients it is for; the order has no line.',
  ),
  ORDER_DUPLICATE_LINE: problem(
    { lines: 'list', firstLines: 'list' },
    (p, f) => `Un patient ne peut figurer que sur une ligne : ${f.list(p.lines.map((l, i) => `la ligne ${l} répète la ligne ${p.firstLines[i] ?? '?'}`))}.`,
    (p, f) => `A patient may appear on one line only: ${f.list(p.lines.map((l, i) => `line ${l} repeats line ${p.firstLines[i] ?? '?'}`))}.`,
  ),
  ORDER_LINE_PATIENT_UNKNOWN: problem(
    { count: 'int', lines: 'list' },
    (p, f) => `${f.count(p.count, { one: 'ligne désigne', other: 'lignes désignent' })} un patient sans traitement de ce médicament dans cet établissement : ${f.word(p.lines.length, { one: 'ligne', other: 'lignes' })} ${f.list([...p.lines])}.`,
    (p, f) => `${f.count(p.count, { one: 'line names', other: 'lines name' })} a patient with no treatment of this medicine at this establishment: ${f.word(p.lines.length, { one: 'line', other: 'lines' })} ${f.list([...p.lines])}.`,
  ),
  REDUCE_ABOVE_ORDERED: problem(
    { quantity: 'num', ordered: 'int' },
    (p, f) => `La quantité réduite (${f.d(p.quantity)}) doit être inférieure aux ${f.count(p.ordered, { one: 'flacon commandé', other: 'flacons commandés' })}.`,
    (p, f) => `The reduced quantity ${p.quantity} must be below the ordered ${f.count(p.ordered, { one: 'vial', other: 'vials' })}.`,
  ),
  REDUCE_TO_ZERO: problem(
    { quantity: 'num' },
    (p, f) => `Une quantité réduite à ${f.d(p.quantity)} ne laisse rien à livrer : refusez plutôt la commande.`,
    (p) => `A reduced quantity of ${p.quantity} leaves nothing to deliver: refuse the order instead.`,
  ),
  DECISION_REASON_REQUIRED: problem(
    { maxLength: 'int' },
    (p, f) => `Une réduction ou un refus doit être motivé (de 1 à ${f.n(p.maxLength)} caractères).`,
    (p, f) => `A reduction or refusal needs a reason of 1 to ${f.n(p.maxLength)} characters.`,
  ),
  DOSING_SCHEDULE_INVALID: problem(
    { medicine: 'text', policyVersion: 'int' },
    (p, f) => `La version ${f.n(p.policyVersion)} de la politique de ${p.medicine} n’a pas de schéma posologique valide.`,
    (p) => `Policy version ${p.policyVersion} of ${p.medicine} has no valid dosing schedule.`,
  ),

  // Monthly recaps (src/recaps).
  RECAP_INVALID: problem(
    { errorCount: 'int', lines: 'int', listed: 'int' },
    (p, f) => `Le récapitulatif compte ${errorsFr(p.errorCount, f)} sur ${f.count(p.lines, { one: 'ligne', other: 'lignes' })}${p.listed < p.errorCount ? ` (les ${f.n(p.listed)} premières sont listées)` : ''} : il est refusé en entier et rien n’a été enregistré.`,
    (p, f) => `The recap has ${errorsEn(p.errorCount, f)} in ${f.count(p.lines, { one: 'line', other: 'lines' })}${p.listed < p.errorCount ? ` (the first ${f.n(p.listed)} are listed)` : ''}; it was refused whole and nothing was stored.`,
  ),
  RECAP_PERIOD_MISMATCH: problem(
    { errorCount: 'int', listed: 'int' },
    (p, f) => `${f.count(p.errorCount, { one: 'valeur désigne', other: 'valeurs désignent' })} un autre médicament ou une autre période que ceux du récapitulatif${p.listed < p.errorCount ? ` (les ${f.n(p.listed)} premières sont listées)` : ''} : il est refusé en entier.`,
    (p, f) => `${f.count(p.errorCount, { one: 'value names', other: 'values name' })} another medicine or period than the recap's${p.listed < p.errorCount ? ` (the first ${f.n(p.listed)} are listed)` : ''}; the recap was refused whole.`,
  ),
  RECAP_EMPTY: fixed('Le récapitulatif ne liste aucun patient : il est refusé.', 'The recap lists no patient; it was refused.'),
  RECAP_TOO_LARGE: problem(
    { limit: 'int', unit: 'text' },
    (p, f) => `Le récapitulatif est refusé en entier : il dépasse ${p.unit === 'bytes' ? `les ${f.n(p.limit)} octets acceptés` : p.unit === 'lines' ? `les ${f.n(p.limit)} lignes de patients acceptées` : `${f.n(p.limit)} ${p.unit}`} ; rien n’a été enregistré.`,
    (p, f) => `The recap was refused whole: it has more than ${f.n(p.limit)} ${p.unit === 'lines' ? 'lines of patients' : p.unit}; nothing was stored.`,
  ),
  RECAP_CHECKER_UNAVAILABLE: fixed('La vérification des fichiers de récapitulatif s’est arrêtée : rien n’a été enregistré. Renvoyez le fichier.', 'The checking of recap files stopped; nothing was stored. Send the file again.'),
  RECAP_FILE_MISSING: fixed('Le formulaire n’a pas de fichier nommé « file ».', 'The form has no file part named "file".'),
  RECAP_FORM_INVALID: problem(
    { parts: 'list' },
    (p, f) => `Le formulaire a d’autres champs que file, medicine et period : ${f.list([...p.parts])}.`,
    (p) => `The form has parts other than file, medicine and period: ${p.parts.join(', ')}.`,
  ),
  RECAP_UNSUPPORTED_MEDIA_TYPE: problem(
    { contentType: 'text?' },
    (p) => `Envoyez le récapitulatif en JSON ou en formulaire multipart avec un fichier CSV nommé « file »${p.contentType === null ? '' : ` (reçu : ${p.contentType})`}.`,
    (p) => `Send the recap as application/json or as multipart/form-data with a CSV file part named "file"${p.contentType === null ? '' : ` (got ${p.contentType})`}.`,
  ),
  RECAP_PERIOD_IN_FUTURE: problem(
    { period: 'period', current: 'period' },
    (p, f) => `Le récapitulatif de ${f.period(p.period)} ne peut pas être envoyé avant le début de la période (nous sommes en ${f.period(p.current)}).`,
    (p) => `A recap of ${p.period} cannot be sent before the period starts (now ${p.current}).`,
  ),
  RECAP_NOT_FOUND: problem(
    { recapId: 'text?' },
    (p) => (p.recapId === null ? 'Seule la pharmacie d’un établissement envoie son récapitulatif.' : `Récapitulatif ${p.recapId} introuvable.`),
    (p) => (p.recapId === null ? 'Only an establishment’s pharmacy sends its recap.' : `No recap ${p.recapId} visible to you.`),
  ),

  // Patients, medicines and policies, establishments (src/patients, src/medicines, src/establishments).
  PATIENT_NOT_FOUND: fixed('Patient introuvable dans votre établissement.', 'No such patient is known to this establishment.'),
  NIR_INVALID: fixed('Le NIR saisi n’est pas valide (voir le motif du champ).', 'The NIR is not valid (see the field’s reason).'),
  NIR_MISMATCH: problem(
    { fields: 'list' },
    (p, f) => `Le NIR ne correspond pas au formulaire : ${f.list(p.fields.map((x) => fieldLabel(x, 'fr')))}.`,
    (p, f) => `The NIR does not match the form: ${f.list([...p.fields])}.`,
  ),
  BIRTH_DATE_INVALID: problem(
    { birthDate: 'text' },
    (p, f) => `La date de naissance ${f.date(p.birthDate)} n’est pas une date passée du calendrier.`,
    (p) => `Birth date ${p.birthDate} is not a past calendar date.`,
  ),
  PATIENT_REGISTRATION_FORBIDDEN: fixed('Votre rôle ne permet pas d’enregistrer un patient.', 'Your role may not register a patient.'),
  MEDICINE_NOT_FOUND: problem({ medicine: 'text' }, (p) => `Médicament ${p.medicine} inconnu.`, (p) => `No medicine ${p.medicine}.`),
  POLICY_NOT_FOUND: problem({ medicine: 'text', version: 'int' }, (p, f) => `La version ${f.n(p.version)} de la politique de ${p.medicine} est introuvable.`, (p) => `No version ${p.version} of the ${p.medicine} policy.`),
  POLICY_INVALID: problem(
    { fields: 'list' },
    (p, f) => `La politique n’est pas valide : ${f.list(p.fields.map((x) => fieldLabel(x, 'fr')))} ; rien n’a été publié.`,
    (p, f) => `The policy is not valid: ${f.list([...p.fields])}; nothing was published.`,
  ),
  POLICY_EFFECTIVE_DATE_CONFLICT: problem(
    { latestVersion: 'int', latestFrom: 'date', effectiveFrom: 'date' },
    (p, f) => `La version ${f.n(p.latestVersion)} prend effet le ${f.date(p.latestFrom)} : une nouvelle version doit prendre effet après, pas le ${f.date(p.effectiveFrom)}.`,
    (p) => `Version ${p.latestVersion} takes effect on ${p.latestFrom}; a new version must take effect after it, not on ${p.effectiveFrom}.`,
  ),
  POLICY_EFFECTIVE_IN_PAST: problem(
    { effectiveFrom: 'date', today: 'date' },
    (p, f) => `Une politique ne peut pas prendre effet dans le passé (le ${f.date(p.effectiveFrom)} précède aujourd’hui, ${f.date(p.today)}).`,
    (p) => `A policy cannot take effect in the past (${p.effectiveFrom} is before today, ${p.today}).`,
  ),
  UNKNOWN_INDICATION: problem(
    { indications: 'list' },
    (p, f) => `${f.word(p.indications.length, { one: 'Indication inconnue', other: 'Indications inconnues' })} pour ce médicament : ${f.list([...p.indications])}.`,
    (p, f) => `Unknown ${f.word(p.indications.length, { one: 'indication', other: 'indications' })} for this medicine: ${p.indications.join(', ')}.`,
  ),
  ESTABLISHMENT_NOT_FOUND: problem({ establishment: 'text' }, (p) => `Établissement ${p.establishment} introuvable.`, (p) => `No establishment ${p.establishment}.`),
  ESTABLISHMENT_EXISTS: problem({ establishment: 'text' }, (p) => `L’établissement ${p.establishment} existe déjà.`, (p) => `Establishment ${p.establishment} already exists.`),
  FINESS_INVALID: problem({ finess: 'text' }, (p) => `Le numéro FINESS ${p.finess} n’est pas valide (voir le motif du champ).`, (p) => `FINESS ${p.finess} is not valid (see the field’s reason).`),
  NO_PENDING_DECLARATION: problem(
    { establishment: 'text', period: 'period' },
    (p, f) => `Aucune déclaration de patients suivis de ${p.establishment} pour ${f.period(p.period)} n’attend de décision.`,
    (p) => `No followed-patient declaration of ${p.establishment} for ${p.period} is waiting for a decision.`,
  ),

  // Jobs, audit, notifications (src/jobs, src/audit, src/notifications).
  JOB_UNKNOWN: problem(
    { job: 'text', known: 'list' },
    (p, f) => `Aucune tâche ${p.job} n’est enregistrée (tâches connues : ${f.list([...p.known])}).`,
    (p) => `No job ${p.job} is registered (known: ${p.known.join(', ')}).`,
  ),
  JOB_TARGET_INVALID: problem(
    { job: 'text' },
    (p) => `La tâche ${p.job} demande un médicament et une période, ou une date.`,
    (p) => `A ${p.job} job needs a medicine and a period, or a date.`,
  ),
  JOB_QUEUE_UNAVAILABLE: problem(
    { job: 'text', recorded: 'bool' },
    (p) =>
      p.recorded
        ? `La tâche ${p.job} est enregistrée mais la file ne l’a pas prise : elle y sera remise au retour de la file.`
        : `La file des tâches (Redis) ne répond pas : la tâche ${p.job} n’a pas été enregistrée. Réessayez plus tard.`,
    (p) =>
      p.recorded
        ? `The job ${p.job} is recorded but the queue did not take it; it will be queued again when the queue is back.`
        : `The job queue (Redis) does not answer; the job ${p.job} was not recorded. Retry later.`,
  ),
  AUDIT_CHECKPOINT_NOT_FOUND: fixed('Aucun point de contrôle de l’audit n’a encore été pris.', 'No audit checkpoint has been taken yet.'),
  AUDIT_CHAIN_BROKEN: problem(
    { event: 'int', reason: 'text' },
    (p, f) => `La chaîne d’audit est rompue à l’événement ${f.n(p.event)} (détail technique : ${p.reason}).`,
    (p) => `The audit chain is broken at event ${p.event}: ${p.reason}.`,
  ),
  NOTIFICATION_NOT_FOUND: fixed('Cette notification n’est pas dans votre boîte.', 'No such notification in your inbox.'),
  NOTIFICATION_LOCKED: problem({ kind: 'text' }, (p) => `Les notifications ${p.kind} du comité ne peuvent pas être désactivées.`, (p) => `The committee's ${p.kind} notifications cannot be switched off.`),
  NOTIFICATION_KIND_UNKNOWN: problem(
    { role: 'text', kind: 'text' },
    (p) => `Le rôle ${role(p.role)} ne reçoit jamais les notifications ${p.kind}.`,
    (p) => `A ${p.role} never receives ${p.kind} notifications.`,
  ),

  // Supply and projection (src/supply).
  SUPPLY_NOT_DECLARED: problem({ medicine: 'text' }, (p) => `Le laboratoire n’a encore déclaré aucun approvisionnement de ${p.medicine}.`, (p) => `The lab has declared no supply of ${p.medicine} yet.`),
  SUPPLY_DECLARATION_INVALID: problem(
    { fields: 'list' },
    (p, f) => `La déclaration d’approvisionnement n’est pas valide : ${f.list(p.fields.map((x) => fieldLabel(x, 'fr')))}.`,
    (p, f) => `The supply declaration is not valid: ${f.list([...p.fields])}.`,
  ),
  PROJECTION_HORIZON_INVALID: problem(
    { horizon: 'text', max: 'int' },
    (p, f) => `L’horizon ${p.horizon} n’est pas un nombre entier de 1 à ${f.n(p.max)}.`,
    (p) => `The horizon ${p.horizon} is not an integer from 1 to ${p.max}.`,
  ),
  PROJECTION_NO_SCHEDULE: problem(
    { medicine: 'text', date: 'date' },
    (p, f) => `Aucune politique de ${p.medicine} avec un schéma posologique valide n’est en vigueur le ${f.date(p.date)} : le besoin des patients en cours ne peut pas être projeté.`,
    (p) => `No policy of ${p.medicine} with a valid dosing schedule is in force on ${p.date}: the need of continuing patients cannot be projected.`,
  ),
  PROJECTION_TREATMENTS_UNAVAILABLE: fixed('Les traitements déclarés ne sont pas disponibles dans cette installation.', 'The declared treatments are not available in this installation.'),

  // Reconciliation (src/reconciliation).
  RECONCILIATION_NOT_FOUND: problem(
    { medicine: 'text', period: 'period' },
    (p, f) => `Le rapprochement de ${p.medicine} pour ${f.period(p.period)} n’a pas encore été fait.`,
    (p) => `The ${p.medicine} ${p.period} reconciliation has not run yet.`,
  ),
  RECONCILIATION_RUNNING: problem(
    { medicine: 'text', period: 'period' },
    (p, f) => `Un rapprochement de ${p.medicine} pour ${f.period(p.period)} est déjà en cours.`,
    (p) => `A ${p.medicine} ${p.period} reconciliation is already running.`,
  ),
  RECONCILIATION_PERIOD_NOT_ENDED: problem(
    { period: 'period', today: 'date', from: 'date' },
    (p, f) => `La période ${f.period(p.period)} n’est pas terminée le ${f.date(p.today)} : son rapprochement sera possible à partir du ${f.date(p.from)}.`,
    (p) => `The period ${p.period} has not ended on ${p.today}; it can be reconciled from ${p.from}.`,
  ),
  RECONCILIATION_PERIOD_INVALID: problem({ period: 'text' }, (p) => `La période doit être un mois AAAA-MM (reçu : « ${p.period} »).`, (p) => `The period must be YYYY-MM (got "${p.period}").`),
  RECONCILIATION_FACTS_UNAVAILABLE: problem(
    { medicine: 'text', period: 'period' },
    (p, f) => `Le rapprochement de ${p.medicine} pour ${f.period(p.period)} ne peut pas être fait : les traitements et commandes déclarés ne sont pas disponibles dans cette installation.`,
    (p) => `The ${p.medicine} ${p.period} reconciliation cannot run: the declared treatments and orders are not available in this installation.`,
  ),

  // Compassionate access (src/compassionate-access).
  CLINICAL_FORM_INVALID: problem(
    { count: 'int', fields: 'list' },
    (p, f) => `Le formulaire clinique compte ${errorsFr(p.count, f)} : ${f.list([...p.fields])}.`,
    (p, f) => `The clinical form has ${errorsEn(p.count, f)}: ${p.fields.join(', ')}.`,
  ),
  CRITERIA_INVALID: problem(
    { count: 'int', fields: 'list' },
    (p, f) => `La version des critères compte ${errorsFr(p.count, f)} : ${f.list([...p.fields])}.`,
    (p, f) => `The criteria version has ${errorsEn(p.count, f)}: ${p.fields.join(', ')}.`,
  ),
  FORM_DATA_INVALID: problem(
    { count: 'int', fields: 'list' },
    (p, f) => `Les données du formulaire comptent ${errorsFr(p.count, f)} : ${f.list([...p.fields])}.`,
    (p, f) => `The form data has ${errorsEn(p.count, f)}: ${p.fields.join(', ')}.`,
  ),
  NO_CRITERIA_IN_FORCE: problem(
    { date: 'date', first: 'date?' },
    (p, f) => (p.first === null ? `Aucune version des critères n’est publiée (au ${f.date(p.date)}).` : `Aucune version des critères n’est en vigueur le ${f.date(p.date)} ; la première prend effet le ${f.date(p.first)}.`),
    (p) => (p.first === null ? `No criteria version is published (on ${p.date}).` : `No criteria version is in force on ${p.date}; the first takes effect on ${p.first}.`),
  ),
  PRESCRIBER_SPECIALTY_NOT_ALLOWED: problem(
    { specialty: 'text', medicine: 'text', allowed: 'list' },
    (p, f) => `Un prescripteur de spécialité ${p.specialty} ne peut pas demander ${p.medicine} (spécialités autorisées : ${f.list([...p.allowed])}).`,
    (p) => `A ${p.specialty} prescriber may not ask for ${p.medicine}; allowed: ${p.allowed.join(', ')}.`,
  ),
  ACCESS_REQUEST_NOT_COUNTERSIGNABLE: problem(
    { status: 'text' },
    (p) => `La demande est ${state(p.status)} : seule une demande déposée peut être contresignée.`,
    (p) => `The request is ${p.status}; only a submitted request can be countersigned.`,
  ),
  ACCESS_REQUEST_NOT_IN_MEETING_REVIEW: problem(
    { status: 'text?' },
    (p) => (p.status === null ? 'Ce dispositif n’a pas de réunion nationale.' : `La demande est ${state(p.status)}, elle n’est pas en revue par la réunion.`),
    (p) => (p.status === null ? 'This scheme has no national meeting.' : `The request is ${p.status}, not in meeting review.`),
  ),
  ACCESS_REQUEST_MEETING_ALREADY_DECIDED: problem(
    { decision: 'text', date: 'date' },
    (p, f) => `La réunion a déjà décidé (${p.decision === 'approve' ? 'avis favorable' : p.decision === 'reject' ? 'avis défavorable' : p.decision}) le ${f.date(p.date)}.`,
    (p) => `The meeting already decided (${p.decision}) on ${p.date}.`,
  ),
  ACCESS_REQUEST_AWAITING_MEETING: fixed('La réunion nationale n’a pas encore approuvé la demande.', 'The national meeting has not approved the request yet.'),
  ACCESS_REQUEST_NOT_COUNTERSIGNED: fixed('La demande n’a pas été contresignée par le pharmacien.', 'The request has not been countersigned by the pharmacist.'),
  ACCESS_REQUEST_ALREADY_DECIDED: problem({ status: 'text' }, (p) => `La demande est déjà ${state(p.status)}.`, (p) => `The request is already ${p.status}.`),
  ACCESS_REQUEST_NOT_ELIGIBLE: problem(
    { verdict: 'text', criteria: 'list', results: 'list' },
    (p, f) => `La demande est ${VERDICT_FR[p.verdict] ?? p.verdict} : ${f.list(p.criteria.map((c, i) => `${c} (${RESULT_FR[p.results[i] ?? ''] ?? p.results[i] ?? '?'})`))}.`,
    (p) => `The request is ${p.verdict}: ${p.criteria.map((c, i) => `${c} (${p.results[i] ?? '?'})`).join(', ')}.`,
  ),
  ACCESS_DECISION_REASON_REQUIRED: problem(
    { decision: 'text' },
    (p) => `${DECISION_FR[p.decision] ?? `Cette décision (${p.decision})`} doit être motivé${['derogation', 'exclude', 'authorise'].includes(p.decision) || DECISION_FR[p.decision] === undefined ? 'e' : ''}.`,
    (p) => (p.decision === 'reject' ? 'A meeting rejection needs its rationale.' : p.decision === 'derogation' ? 'An authorisation by derogation needs its reason.' : `To ${p.decision} a request needs a reason.`),
  ),
  ACCESS_DEROGATION_NOT_NEEDED: fixed('La demande remplit tous les critères : aucune dérogation n’est nécessaire.', 'The request meets every criterion: no derogation is needed.'),
  ACCESS_ACTION_BEFORE_SUBMISSION: problem(
    { action: 'text', date: 'date', submittedOn: 'date' },
    (p, f) => `La date de l’action ${ACTION_FR[p.action] ?? p.action} (${f.date(p.date)}) précède le dépôt de la demande (${f.date(p.submittedOn)}).`,
    (p) => `The ${p.action} date ${p.date} is before the submission on ${p.submittedOn}.`,
  ),
  AUTHORISATION_NOT_RENEWABLE: problem(
    { status: 'text', switchedTo: 'text?' },
    (p) => `La demande est ${state(p.status)} : ${p.switchedTo === null ? 'seule une autorisation peut être renouvelée' : `le patient est passé à la demande ${p.switchedTo}, renouvelez celle-ci`}.`,
    (p) => `The request is ${p.status}; ${p.switchedTo === null ? 'only an authorisation can be renewed' : `the patient switched to request ${p.switchedTo}: renew that one`}.`,
  ),
  AUTHORISATION_EXPIRED: problem(
    { until: 'date', date: 'date' },
    (p, f) => `L’autorisation a pris fin le ${f.date(p.until)} : au ${f.date(p.date)}, une nouvelle demande ou un renouvellement est nécessaire.`,
    (p) => `The authorisation ended on ${p.until}; on ${p.date} a renewal or a new request is needed.`,
  ),
  FORM_DUE_INVALID: problem(
    { every: 'int', due: 'text' },
    (p, f) => `Un formulaire de suivi est attendu à M${f.n(p.every)}, M${f.n(2 * p.every)}, … ; reçu : ${p.due}.`,
    (p) => `A follow-up form is due at M${p.every}, M${2 * p.every}, …; got ${p.due}.`,
  ),
  FORM_ALREADY_RECEIVED: problem({ form: 'text' }, (p) => `Le formulaire ${p.form} a déjà été reçu.`, (p) => `The ${p.form} form was already received.`),
  FORM_AFTER_STOP: problem(
    { stopDate: 'date' },
    (p, f) => `Le traitement a été arrêté le ${f.date(p.stopDate)} : aucun formulaire n’est attendu après un arrêt.`,
    (p) => `The treatment was stopped on ${p.stopDate}; no form is expected after a stop.`,
  ),
  FORM_DATE_BEFORE_AUTHORISATION: problem(
    { date: 'date', authorisedOn: 'date' },
    (p, f) => `Le formulaire est daté du ${f.date(p.date)}, avant l’autorisation du ${f.date(p.authorisedOn)}.`,
    (p) => `The form is dated ${p.date}, before the authorisation on ${p.authorisedOn}.`,
  ),
  STOP_REASON_REQUIRED: problem(
    { allowed: 'list' },
    (p, f) => `Un formulaire d’arrêt demande un motif : ${f.list(p.allowed.map((r) => stopReasonLabel(r, 'fr')))}.`,
    (p) => `A stop form needs a reason: ${p.allowed.join(', ')}.`,
  ),
  REPORT_CUTOFF_BEFORE_START: problem(
    { cutoff: 'date', from: 'date' },
    (p, f) => `La date d’arrêté (${f.date(p.cutoff)}) précède le début de la période (${f.date(p.from)}).`,
    (p) => `The cut-off ${p.cutoff} is before the start of the period ${p.from}.`,
  ),
  REPORT_PERIOD_INVALID: problem(
    { from: 'text', to: 'text' },
    (p, f) => `La période du ${f.date(p.from)} au ${f.date(p.to)} n’est pas une paire de dates valides dans l’ordre.`,
    (p) => `The period ${p.from} to ${p.to} is not a valid pair of dates in order.`,
  ),
  ACCESS_REQUEST_NOT_FOUND: problem({ requestId: 'text' }, (p) => `Demande d’accès ${p.requestId} introuvable.`, (p) => `No access request ${p.requestId}.`),
  MEDICINE_NOT_COMPASSIONATE: problem({ medicine: 'text' }, (p) => `${p.medicine} ne relève pas de l’accès compassionnel.`, (p) => `${p.medicine} is not reached through compassionate access.`),
  MEDICINE_NOT_YET_AVAILABLE: problem(
    { medicine: 'text', from: 'date' },
    (p, f) => `${p.medicine} est disponible en accès compassionnel à partir du ${f.date(p.from)}.`,
    (p) => `${p.medicine} is available in compassionate access from ${p.from}.`,
  ),
  MEDICINE_REPLACED: problem(
    { medicine: 'text', replacedBy: 'text', from: 'date' },
    (p, f) => `${p.medicine} est remplacé par ${p.replacedBy} depuis le ${f.date(p.from)} : demandez ${p.replacedBy}.`,
    (p) => `${p.medicine} is replaced by ${p.replacedBy} since ${p.from}; ask for ${p.replacedBy}.`,
  ),
  INDICATION_NOT_IN_SCHEME: problem(
    { medicine: 'text', schemeIndication: 'text', indication: 'text' },
    (p) => `${p.medicine} n’est autorisé en accès compassionnel que pour ${p.schemeIndication}, pas pour ${p.indication}.`,
    (p) => `${p.medicine} is authorised in compassionate access for ${p.schemeIndication} only, not ${p.indication}.`,
  ),
  ACCESS_REQUEST_ALREADY_OPEN: problem(
    { status: 'text', requestId: 'text', medicine: 'text' },
    (p) => `Ce patient a déjà une demande ${p.requestId} de ${p.medicine} (${state(p.status)}).`,
    (p) => `This patient already has a ${p.status} request ${p.requestId} for ${p.medicine}.`,
  ),
  MEETING_MEMBER_OWN_ESTABLISHMENT: problem(
    { establishment: 'text' },
    (p) => `Un membre de la réunion de l’établissement ${p.establishment} ne décide pas d’une demande de son propre établissement.`,
    (p) => `A meeting member of establishment ${p.establishment} does not decide on its own establishment's request.`,
  ),
  CRITERIA_VERSION_EXISTS: problem(
    { version: 'text', effectiveFrom: 'date' },
    (p, f) => `Une version des critères ${p.version} prenant effet le ${f.date(p.effectiveFrom)} est déjà publiée.`,
    (p) => `A criteria version ${p.version} effective from ${p.effectiveFrom} is already published.`,
  ),
  CRITERIA_EFFECTIVE_IN_PAST: problem(
    { today: 'date', effectiveFrom: 'date' },
    (p, f) => `Une version des critères prend effet aujourd’hui (${f.date(p.today)}) ou plus tard, pas le ${f.date(p.effectiveFrom)}.`,
    (p) => `A criteria version takes effect today (${p.today}) or later, not on ${p.effectiveFrom}.`,
  ),
  FORM_REQUEST_NOT_AUTHORISED: problem(
    { status: 'text' },
    (p) => `La demande est ${state(p.status)} : les formulaires de suivi sont réservés aux patients autorisés.`,
    (p) => `The request is ${p.status}; follow-up forms are for authorised patients only.`,
  ),
  FORM_REQUEST_SWITCHED: problem(
    { switchedTo: 'text?' },
    (p) => `Le patient est passé à la demande ${p.switchedTo ?? '?'} : envoyez-y le formulaire (le suivi continue).`,
    (p) => `The patient switched to request ${p.switchedTo ?? '?'}; send the form there (the follow-up goes on).`,
  ),
  FORM_DATE_IN_FUTURE: problem(
    { date: 'text', today: 'date' },
    (p, f) => `Le formulaire est daté du ${f.date(p.date)}, après aujourd’hui (${f.date(p.today)}).`,
    (p) => `The form is dated ${p.date}, after today ${p.today}.`,
  ),
  FORM_INCOMPLETE: fixed('Un formulaire d’initiation ou de suivi indique si le médicament a été administré.', 'An initiation or follow-up form says whether the medicine was administered.'),
  ACCESS_SCHEME_NOT_FOUND: problem({ medicine: 'text' }, (p) => `Aucun dispositif d’accès compassionnel pour ${p.medicine}.`, (p) => `No compassionate-access scheme for ${p.medicine}.`),
  REPLACEMENT_NOT_IN_FORCE: problem(
    { medicine: 'text', replacedBy: 'text?', from: 'date?', date: 'date' },
    (p, f) =>
      p.replacedBy === null || p.from === null
        ? `${p.medicine} n’est remplacé par aucun autre médicament (au ${f.date(p.date)}).`
        : `${p.medicine} est remplacé par ${p.replacedBy} à partir du ${f.date(p.from)}, pas encore le ${f.date(p.date)}.`,
    (p) => (p.replacedBy === null || p.from === null ? `${p.medicine} is not replaced by another medicine (on ${p.date}).` : `${p.medicine} is replaced by ${p.replacedBy} from ${p.from}, not yet on ${p.date}.`),
  ),
} as const;

export type ProblemCode = keyof typeof PROBLEM_MESSAGES;

export function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(PROBLEM_MESSAGES, code);
}

function fits(kind: ParamKind, value: unknown): boolean {
  switch (kind) {
    case 'int':
    case 'num':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'text?':
    case 'date?':
      return value === null || typeof value === 'string';
    case 'text':
    case 'date':
    case 'period':
    case 'instant':
      return typeof value === 'string';
  }
}

/**
 * The sentence of a problem code and its parameters in a language; null when the code is unknown
 * or a parameter is missing or of another kind (the caller falls back to the status's sentence).
 */
export function renderProblem(code: unknown, params: unknown, lang: MessageLang): string | null {
  if (!isProblemCode(code)) return null;
  const def = PROBLEM_MESSAGES[code] as unknown as ProblemMessage;
  const given = (params ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object') return null;
  for (const [name, kind] of Object.entries(def.params)) if (!fits(kind, given[name])) return null;
  return (def[lang] as (p: unknown, f: MessageFormatter) => string)(given, formatterFor(lang));
}

const BY_STATUS: Record<number, ProblemCode> = { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE', 429: 'TOO_MANY_REQUESTS' };

/** A problem's `detail`: its code's sentence, else the sentence of its status, else the given text. */
export function problemDetail(code: string | undefined, params: unknown, status: number, lang: MessageLang, otherwise: string): string {
  return renderProblem(code, params, lang) ?? renderProblem(BY_STATUS[status], {}, lang) ?? otherwise;
}

/** What a page says when a refusal's code and parameters cannot be rendered (a stored row from before the catalogue). */
const UNRENDERED: Record<MessageLang, string> = { fr: 'L’action n’a pas pu aboutir.', en: '' };

/**
 * The sentence of a problem in a language, from its code and parameters through the catalogue
 * (problem-messages.ts); in English the service's sentence, in French a plain sentence, when they do not render.
 */
export function problemSentence(code: string | undefined, detail: string, lang: MessageLang, params?: unknown): string {
  return renderProblem(code, params ?? {}, lang) ?? (lang === 'en' ? detail : UNRENDERED.fr);
}

/** A stop reason's label in a sentence. */
export const stopReasonLabel = (reason: string, lang: MessageLang): string => (lang === 'fr' ? (STOP_REASON_FR[reason] ?? reason) : reason);

describeDomainErrorsWith((code: string, params: ErrorParams) => renderProblem(code, params, 'en'));
