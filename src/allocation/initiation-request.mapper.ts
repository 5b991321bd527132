import { EntityManager, In } from 'typeorm';
import { CommitteeQueueItemDto, InitiationRequestResponseDto, VoteResponseDto } from './dto/initiation-request.response';
import { CommitteeVoteEntity } from './entities/committee-vote.entity';
import { InitiationRequestEntity } from './entities/initiation-request.entity';

export async function votesOf(manager: EntityManager, ids: string[]): Promise<Map<string, CommitteeVoteEntity[]>> {
  const out = new Map<string, CommitteeVoteEntity[]>();
  if (ids.length === 0) return out;
  const votes = await manager.getRepository(CommitteeVoteEntity).find({ where: { requestId: In(ids) }, order: { votedAt: 'ASC', id: 'ASC' } });
  for (const v of votes) out.set(v.requestId, [...(out.get(v.requestId) ?? []), v]);
  return out;
}

function voteResponse(v: CommitteeVoteEntity): VoteResponseDto {
  return { decision: v.decision, rationale: v.rationale, votedAt: v.votedAt };
}

/** The request as SPEC §11 names it (`id, status, period, policyVersion, reason, rank`), plus its details. Never a NIR: the patient is a pseudonym. */
export function toRequestResponse(r: InitiationRequestEntity, votes: CommitteeVoteEntity[] = []): InitiationRequestResponseDto {
  return {
    id: r.id,
    medicine: r.medicine,
    indication: r.indication,
    kind: r.kind,
    patient: r.patient,
    establishment: r.establishment,
    status: r.status,
    period: r.period,
    policyVersion: r.policyVersion,
    reason: { code: r.reasonCode, message: r.reasonMessage, params: r.reasonParams },
    rank: r.rank,
    justification: r.justification,
    weightKg: r.weightKg,
    submittedAt: r.submittedAt,
    deadline: r.deadline,
    decidedAt: r.decidedAt,
    grantedAt: r.grantedAt,
    startDate: r.startDate,
    treatment: r.treatmentId,
    votes: votes.map(voteResponse),
  };
}

export function toQueueItem(r: InitiationRequestEntity, votes: CommitteeVoteEntity[], votesRequired: number, memberId: string, now: Date): CommitteeQueueItemDto {
  return {
    id: r.id,
    medicine: r.medicine,
    patient: r.patient,
    indication: r.indication,
    justification: r.justification,
    weightKg: r.weightKg,
    submittedAt: r.submittedAt,
    deadline: r.deadline,
    overdue: r.deadline !== null && now.toISOString() > r.deadline,
    votesRequired,
    votes: votes.map(voteResponse),
    votedByMe: votes.some((v) => v.memberId === memberId),
  };
}

/** What the audit keeps of a decision: status, period, the policy version applied and the reason. */
export function decisionAudit(r: InitiationRequestEntity): object {
  return { status: r.status, medicine: r.medicine, indication: r.indication, kind: r.kind, patient: r.patient, period: r.period, policyVersion: r.policyVersion, reason: { code: r.reasonCode, message: r.reasonMessage, params: r.reasonParams }, rank: r.rank };
}
