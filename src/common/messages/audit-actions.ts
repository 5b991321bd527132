import type { MessageLang } from './formatter';

interface Label {
  fr: string;
  en: string;
}

/**
 * The label of every audit action (issue #17: the audit page shows these, never the raw code).
 * A test walks the actions recorded in the code base and checks each has its label in both languages.
 */
export const AUDIT_ACTION_LABELS: Record<string, Label> = {
  'access-criteria.published': { fr: 'Critères d’accès compassionnel publiés', en: 'Compassionate-access criteria published' },
  'access-form.received': { fr: 'Formulaire de suivi reçu', en: 'Follow-up form received' },
  'access-form.stop-received': { fr: 'Formulaire d’arrêt reçu', en: 'Stop form received' },
  'access-forms.overdue-reported': { fr: 'Formulaires de suivi en retard signalés', en: 'Overdue follow-up forms reported' },
  'access-request.submitted': { fr: 'Demande d’accès compassionnel déposée', en: 'Compassionate-access request submitted' },
  'access-request.countersigned': { fr: 'Demande d’accès contresignée par le pharmacien', en: 'Access request countersigned by the pharmacist' },
  'access-request.meeting-decided': { fr: 'Avis de la réunion nationale rendu', en: 'National meeting decided' },
  'access-request.authorised': { fr: 'Accès compassionnel autorisé', en: 'Compassionate access authorised' },
  'access-request.refused': { fr: 'Accès compassionnel refusé', en: 'Compassionate access refused' },
  'access-request.excluded': { fr: 'Demande d’accès exclue', en: 'Access request excluded' },
  'access-request.renewed': { fr: 'Autorisation d’accès renouvelée', en: 'Access authorisation renewed' },
  'access-request.carried-over': { fr: 'Autorisation reportée sur le médicament remplaçant', en: 'Authorisation carried over to the replacing medicine' },
  'access-request.switched': { fr: 'Patient passé au médicament remplaçant', en: 'Patient switched to the replacing medicine' },
  'agency.alert.urgent-waitlisted': { fr: 'Alerte à l’agence : demande urgente en file d’attente', en: 'Agency alert: urgent request waitlisted' },
  'allocation.computed': { fr: 'Allocation de la période calculée', en: 'Period allocation computed' },
  'allocation.recomputed': { fr: 'Allocation de la période recalculée', en: 'Period allocation recomputed' },
  'allocation.slot-redistributed': { fr: 'Place inutilisée redistribuée', en: 'Unused slot redistributed' },
  'audit.checkpointed': { fr: 'Point de contrôle de l’audit signé', en: 'Audit checkpoint signed' },
  'capacity.freed-by-stop': { fr: 'Capacité libérée par un arrêt de traitement', en: 'Capacity freed by a treatment stop' },
  'capacity.supply-declared': { fr: 'Capacité ajustée au stock déclaré', en: 'Capacity set from the declared supply' },
  'committee.overdue-reported': { fr: 'Demandes du comité en retard signalées', en: 'Overdue committee requests reported' },
  'committee.voted': { fr: 'Vote du comité enregistré', en: 'Committee vote recorded' },
  'demo.seeded': { fr: 'Données de démonstration chargées', en: 'Demo data loaded' },
  'establishment.created': { fr: 'Établissement créé', en: 'Establishment created' },
  'establishment.followed-patients.proposed': { fr: 'Effectif suivi proposé', en: 'Followed patients proposed' },
  'establishment.followed-patients.set': { fr: 'Effectif suivi fixé', en: 'Followed patients set' },
  'establishment.followed-patients.approved': { fr: 'Effectif suivi approuvé', en: 'Followed patients approved' },
  'establishment.followed-patients.rejected': { fr: 'Effectif suivi refusé', en: 'Followed patients rejected' },
  'initiation-request.submitted': { fr: 'Demande d’initiation déposée', en: 'Initiation request submitted' },
  'initiation-request.decided': { fr: 'Demande d’initiation décidée', en: 'Initiation request decided' },
  'initiation-request.expired': { fr: 'Accord d’initiation expiré', en: 'Initiation grant expired' },
  'initiation-request.granted-from-queue': { fr: 'Demande accordée depuis la file d’attente', en: 'Request granted from the queue' },
  'initiation-request.ranked': { fr: 'Demande reclassée dans la file', en: 'Request re-ranked in the queue' },
  'initiation-request.started': { fr: 'Traitement commencé depuis la demande', en: 'Treatment started from the request' },
  'initiation-request.withdrawn': { fr: 'Demande d’initiation retirée', en: 'Initiation request withdrawn' },
  'job.requested': { fr: 'Tâche demandée', en: 'Job requested' },
  'notification.read': { fr: 'Notification lue', en: 'Notification read' },
  'notification.read-all': { fr: 'Toutes les notifications lues', en: 'All notifications read' },
  'notifications.preferences-set': { fr: 'Préférences de notification modifiées', en: 'Notification preferences changed' },
  'order.submitted': { fr: 'Commande envoyée', en: 'Order submitted' },
  'order.flagged': { fr: 'Commande envoyée et signalée', en: 'Order submitted and flagged' },
  'order.confirmed': { fr: 'Commande confirmée', en: 'Order confirmed' },
  'order.reduced': { fr: 'Commande réduite', en: 'Order reduced' },
  'order.refused': { fr: 'Commande refusée', en: 'Order refused' },
  'patient.linked': { fr: 'Patient rattaché à l’établissement', en: 'Patient linked to the establishment' },
  'patient.registered': { fr: 'Patient enregistré', en: 'Patient registered' },
  'policy.published': { fr: 'Politique publiée', en: 'Policy published' },
  'recap.submitted': { fr: 'Récapitulatif mensuel reçu', en: 'Monthly recap received' },
  'recap.replaced': { fr: 'Récapitulatif mensuel remplacé', en: 'Monthly recap replaced' },
  'reconciliation.run': { fr: 'Rapprochement effectué', en: 'Reconciliation run' },
  'supply.declare': { fr: 'Stock déclaré par le laboratoire', en: 'Supply declared by the lab' },
  'treatment.started': { fr: 'Traitement commencé', en: 'Treatment started' },
  'treatment.stopped': { fr: 'Traitement arrêté', en: 'Treatment stopped' },
  'treatment.transferred': { fr: 'Traitement transféré', en: 'Treatment transferred' },
  'user.signed-out': { fr: 'Déconnexion (jetons révoqués)', en: 'Signed out (tokens revoked)' },
};

/** The label of what an audit event is about (its `entity`). */
export const AUDIT_ENTITY_LABELS: Record<string, Label> = {
  'access-criteria': { fr: 'Critères d’accès', en: 'Access criteria' },
  'access-forms': { fr: 'Formulaires de suivi', en: 'Follow-up forms' },
  'access-form': { fr: 'Formulaire de suivi', en: 'Follow-up form' },
  'access-request': { fr: 'Demande d’accès', en: 'Access request' },
  allocation: { fr: 'Allocation', en: 'Allocation' },
  'audit-checkpoint': { fr: 'Point de contrôle', en: 'Checkpoint' },
  committee: { fr: 'Comité', en: 'Committee' },
  demo: { fr: 'Démonstration', en: 'Demo' },
  establishment: { fr: 'Établissement', en: 'Establishment' },
  'followed-patients': { fr: 'Effectif suivi', en: 'Followed patients' },
  'initiation-request': { fr: 'Demande d’initiation', en: 'Initiation request' },
  job: { fr: 'Tâche', en: 'Job' },
  notification: { fr: 'Notification', en: 'Notification' },
  order: { fr: 'Commande', en: 'Order' },
  patient: { fr: 'Patient', en: 'Patient' },
  policy: { fr: 'Politique', en: 'Policy' },
  recap: { fr: 'Récapitulatif', en: 'Recap' },
  reconciliation: { fr: 'Rapprochement', en: 'Reconciliation' },
  supply_declaration: { fr: 'Déclaration de stock', en: 'Supply declaration' },
  treatment: { fr: 'Traitement', en: 'Treatment' },
  user: { fr: 'Utilisateur', en: 'User' },
  capacity: { fr: 'Capacité', en: 'Capacity' },
};

const OTHER: Record<MessageLang, string> = { fr: 'Autre action enregistrée', en: 'Other recorded action' };

/** An audit action's label; never its raw code (an action without a label, which the test forbids, reads "Autre action enregistrée"). */
export function auditActionLabel(action: string, lang: MessageLang): string {
  return AUDIT_ACTION_LABELS[action]?.[lang] ?? OTHER[lang];
}

/** An audit entity's label; the code itself only for an entity the catalogue does not know yet. */
export function auditEntityLabel(entity: string, lang: MessageLang): string {
  return AUDIT_ENTITY_LABELS[entity]?.[lang] ?? entity;
}
