import type { Role } from '../common/domain/roles';
import type { MessageKey } from './i18n/messages';

export interface NavItem {
  href: string;
  label: MessageKey;
}

/** Where each group lands after signing in. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'pharmacist':
    case 'prescriber':
      return '/etablissement';
    case 'committee':
      return '/comite';
    case 'lab':
      return '/laboratoire/commandes';
    case 'agency':
      return '/agence';
  }
}

/** The pages a role may open; a link is shown only where the API would answer. */
export function navigationOf(role: Role): NavItem[] {
  switch (role) {
    case 'pharmacist':
      return [
        { href: '/etablissement', label: 'nav.home' },
        { href: '/etablissement/patients', label: 'nav.patients' },
        { href: '/etablissement/demandes', label: 'nav.requests' },
        { href: '/etablissement/traitements', label: 'nav.treatments' },
        { href: '/etablissement/commandes', label: 'nav.orders' },
        { href: '/etablissement/recapitulatifs', label: 'nav.recaps' },
        { href: '/etablissement/ecarts', label: 'nav.discrepancies' },
      ];
    case 'prescriber':
      return [
        { href: '/etablissement', label: 'nav.home' },
        { href: '/etablissement/patients', label: 'nav.patients' },
        { href: '/etablissement/demandes', label: 'nav.requests' },
        { href: '/etablissement/traitements', label: 'nav.treatments' },
      ];
    case 'committee':
      return [
        { href: '/comite', label: 'nav.queue' },
        { href: '/comite/decisions', label: 'nav.decided' },
      ];
    case 'lab':
      return [
        { href: '/laboratoire/commandes', label: 'nav.orders' },
        { href: '/laboratoire/recapitulatifs', label: 'nav.recaps' },
        { href: '/laboratoire/rapprochement', label: 'nav.reconciliation' },
        { href: '/laboratoire/stock', label: 'nav.supply' },
        { href: '/acces-compassionnel', label: 'nav.access' },
        { href: '/rapport-acces', label: 'nav.accessReport' },
      ];
    case 'agency':
      return [
        { href: '/agence', label: 'nav.home' },
        { href: '/agence/politiques', label: 'nav.policies' },
        { href: '/agence/allocations', label: 'nav.allocations' },
        { href: '/agence/graphiques', label: 'nav.charts' },
        { href: '/agence/stock', label: 'nav.supply' },
        { href: '/agence/etablissements', label: 'nav.establishments' },
        { href: '/agence/effectifs-suivis', label: 'nav.followedPatients' },
        { href: '/agence/rapprochement', label: 'nav.reconciliation' },
        { href: '/agence/taches', label: 'nav.jobs' },
        { href: '/agence/audit', label: 'nav.audit' },
        { href: '/acces-compassionnel', label: 'nav.access' },
        { href: '/rapport-acces', label: 'nav.accessReport' },
      ];
  }
}
