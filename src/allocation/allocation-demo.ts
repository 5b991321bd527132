import { EntityManager } from 'typeorm';
import type { AuthService } from '../auth/auth.service';
import { Actor } from '../common/domain/roles';
import { DemoContext } from '../common/contracts/demo-seed-registry';
import { DomainError } from '../common/domain/domain-error';
import type { MedicinesService } from '../medicines/medicines.service';
import { CommitteeService } from './committee.service';
import { InitiationRequestsService } from './initiation-requests.service';

const NULOJIX = 'NULOJIX';
const HOUR = 3_600_000;

/**
 * Demo requests around the demo period (SPEC §12): in the capped month of the demo clock, quota
 * requests (granted, and waitlisted once a centre's slots are used), urgent requests pending review
 * (one past its deadline) and one approved by a member of another establishment. Uses the last
 * demo patients of the first centres, submitted through the same use cases as the API.
 */
export async function seedAllocationDemo(manager: EntityManager, ctx: DemoContext, requests: InitiationRequestsService, committee: CommitteeService, auth: AuthService, medicines: MedicinesService): Promise<void> {
  if (!(await medicines.exists(NULOJIX, manager))) return;
  const actorOf = (m: EntityManager, username: string): Promise<Actor | null> => auth.actorByUsername(m, username);
  const patientOf = (centre: number, index: number): string | undefined => ctx.patientsByCentre.get(ctx.centres[centre] ?? '')?.[index];
  const submit = async (centre: number, index: number, indication: string, justification: string, hoursAgo: number) => {
    const finess = ctx.centres[centre];
    const patient = patientOf(centre, index);
    if (!finess || !patient) return null;
    const actor = await actorOf(manager, `prescriber-${finess}`);
    if (!actor) return null;
    try {
      return await requests.submitIn(manager, actor, { medicine: NULOJIX, indication, patient, justification, weightKg: 60 + centre + index }, new Date(ctx.now.getTime() - hoursAgo * HOUR));
    } catch (error: unknown) {
      // A demo clock under another policy version may not enable this indication: that request is left out.
      if (error instanceof DomainError && error.status < 500) return null;
      throw error;
    }
  };
  // Quota requests: the first centre asks for three patients (more than its slots), two other centres one each.
  await submit(0, 3, 'chronic-dysfunction-cni', 'Dysfonction chronique du greffon, biopsie compatible avec une toxicité des anticalcineurines.', 100);
  await submit(0, 4, 'chronic-dysfunction-cni', 'DFG en baisse de 25 % sur 12 mois sous tacrolimus, toxicité sur biopsie.', 80);
  await submit(0, 5, 'chronic-dysfunction-cni', 'Fibrose interstitielle progressive, toxicité des anticalcineurines probable.', 60);
  await submit(8, 5, 'chronic-dysfunction-cni', 'Dysfonction chronique sous ciclosporine, conversion souhaitée.', 50);
  await submit(13, 5, 'chronic-dysfunction-cni', 'Toxicité chronique des anticalcineurines, créatinine en hausse.', 40);
  // Urgent requests for the committee: one past its 48-hour deadline, two recent.
  await submit(1, 5, 'tma-cni', 'Microangiopathie thrombotique sous tacrolimus à J12, arrêt des anticalcineurines nécessaire.', 60);
  await submit(2, 5, 'early-dysfunction-cni', 'Dysfonction précoce du greffon à J8, toxicité des anticalcineurines suspectée.', 20);
  await submit(11, 5, 'rescue', 'Impasse thérapeutique : intolérance aux anticalcineurines et au belatacept non testé ; greffon menacé.', 3);
  // One urgent request approved by a member of another establishment: granted from national capacity.
  const approved = await submit(9, 5, 'tma-cni', 'MAT sous anticalcineurines confirmée, plaquettes en baisse.', 30);
  const member = await actorOf(manager, 'committee-1');
  if (approved && member && approved.status === 'pending_review') {
    await committee.voteIn(manager, member, approved.id, { decision: 'approve', rationale: 'MAT documentée sous anticalcineurines : indication (2) remplie.' }, ctx.now);
  }
}
