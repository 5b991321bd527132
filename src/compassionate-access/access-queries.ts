import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/domain/roles';
import type { CriteriaVersion, Criterion } from './domain/eligibility';
import { compassionateAccessError } from './domain/compassionate-access.errors';
import { AccessRequestEntity } from './entities/access-request.entity';
import { AccessSchemeEntity } from './entities/access-scheme.entity';
import { CriteriaVersionEntity } from './entities/criteria-version.entity';
import { canSeeRequest, canSeeScheme } from './access-request.mapper';

/** Small queries shared by the compassionate-access services; each runs on the caller's manager. */
export const accessQueries = {
  async scheme(manager: EntityManager, code: string): Promise<AccessSchemeEntity | null> {
    return manager.getRepository(AccessSchemeEntity).findOne({ where: { medicineCode: code } });
  },

  /** The scheme of a medicine the actor may read, or a 404 (a medicine without a scheme, or a lab that does not supply it). */
  async visibleScheme(manager: EntityManager, actor: Actor, code: string): Promise<AccessSchemeEntity> {
    const scheme = await accessQueries.scheme(manager, code);
    if (scheme === null || !canSeeScheme(actor, scheme)) {
      throw compassionateAccessError('ACCESS_SCHEME_NOT_FOUND', { medicine: code }, [
        { field: 'medicine', reason: `${code} has no compassionate-access scheme visible to you` },
      ]);
    }
    return scheme;
  },

  /** A request with its scheme if the actor may see it; another establishment's request is a 404 like a missing one. */
  async visibleRequest(manager: EntityManager, actor: Actor, id: string): Promise<{ request: AccessRequestEntity; scheme: AccessSchemeEntity }> {
    const request = await manager.getRepository(AccessRequestEntity).findOne({ where: { id } });
    const scheme = request === null ? null : await accessQueries.scheme(manager, request.medicineCode);
    if (request === null || scheme === null || !canSeeRequest(actor, request, scheme)) {
      throw compassionateAccessError('ACCESS_REQUEST_NOT_FOUND', { requestId: id });
    }
    return { request, scheme };
  },

  /** The criteria versions of a scheme, read from their rows (SPEC §9: criteria are data). */
  async criteriaVersions(manager: EntityManager, scheme: string): Promise<CriteriaVersion[]> {
    const rows = await manager.getRepository(CriteriaVersionEntity).find({ where: { scheme }, order: { effectiveFrom: 'ASC' } });
    return rows.map((r) => ({ scheme: r.scheme, version: r.version, effectiveFrom: r.effectiveFrom, criteria: r.criteria as Criterion[] }));
  },
};
