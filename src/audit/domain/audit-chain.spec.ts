import { canonicalJson } from '../../common/domain/canonical-json';
import { AuditEventContent, ChainedAuditEvent, GENESIS_HASH, hashAuditEvent, verifyAuditChain } from './audit-chain';

function chain(n: number): ChainedAuditEvent[] {
  const out: ChainedAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content: AuditEventContent = {
      seq, at: `2023-05-0${seq}T10:00:00.000Z`, actorId: 'u1', actorName: 'agency', role: 'agency', establishment: null,
      action: 'policy.published', entity: 'policy', entityId: `p${seq}`, before: null, after: { version: seq }, prevHash,
    };
    const hash = hashAuditEvent(content);
    out.push({ ...content, hash });
    prevHash = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('accepts an intact chain', () => {
    expect(verifyAuditChain(chain(5))).toEqual({ ok: true, events: 5, firstBrokenAt: null, reason: null });
  });
  it('detects an edited event at its sequence number', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, after: { version: 99 } };
    expect(verifyAuditChain(events)).toMatchObject({ ok: false, firstBrokenAt: 3 });
  });
  it('detects a removed event', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyAuditChain(events)).toMatchObject({ ok: false, firstBrokenAt: 3 });
  });
  it('detects a removed last event through the head kept apart', () => {
    const events = chain(3);
    const head = { seq: 3, hash: events[2]!.hash };
    expect(verifyAuditChain(events, head).ok).toBe(true);
    expect(verifyAuditChain(events.slice(0, 2), head)).toMatchObject({ ok: false, firstBrokenAt: 3 });
  });
  it('detects two swapped events even with their sequence numbers swapped back', () => {
    const events = chain(4);
    const a = events[1]!;
    const b = events[2]!;
    events[1] = { ...b, seq: 2 };
    events[2] = { ...a, seq: 3 };
    expect(verifyAuditChain(events)).toMatchObject({ ok: false, firstBrokenAt: 2 });
  });
  it('hashes the same content the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
  });
});
