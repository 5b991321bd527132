import type { EntityManager } from 'typeorm';
import type { Actor } from '../domain/roles';

/**
 * What a module the audit module depends on (auth: its controller's guards and decorators) uses to audit a change,
 * without importing it back (provided by the audit module under AUDIT_TRAIL). `record` runs inside the caller's
 * transaction, as AuditService.record does.
 */
export const AUDIT_TRAIL = Symbol('AUDIT_TRAIL');

export interface AuditTrail {
  record(manager: EntityManager, actor: Actor, change: { action: string; entity: string; entityId: string; before?: object | null; after?: object | null; establishment?: string | null }): Promise<void>;
}
