import fc from 'fast-check';
import { canonicalJson } from '../../common/domain/canonical-json';
import { ChainVerifier, GENESIS_HASH, StoredAuditEvent, hashAuditEvent, hashStoredAuditEvent, storedJsonText } from './audit-chain';

function stored(n: number, after: (seq: number) => object = (seq) => ({ version: seq, b: 1, a: [2, { z: 1, y: null }] })): StoredAuditEvent[] {
  const out: StoredAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq, at: `2023-05-0${(seq % 9) + 1}T10:00:00.000Z`, actorId: 'u1', actorName: 'agency', role: 'agency', establishment: null,
      action: 'policy.published', entity: 'policy', entityId: `p${seq}`, before: null, after: storedJsonText(after(seq)), prevHash,
    };
    const hash = hashStoredAuditEvent(content);
    out.push({ ...content, hash });
    prevHash = hash;
  }
  return out;
}

function verify(events: StoredAuditEvent[], checkpoint: { seq: number; hash: string } | null = null, head: { seq: number; hash: string } | null = null) {
  const v = new ChainVerifier(checkpoint);
  for (const e of events) if (!v.push(e)) break;
  return v.result(head);
}

/** Rewrites the chain from `from` on with fresh hashes, as someone with write access to the table could. */
function recompute(events: StoredAuditEvent[]): StoredAuditEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((e) => {
    const { hash: _old, ...content } = { ...e, prevHash };
    const hash = hashStoredAuditEvent(content);
    prevHash = hash;
    return { ...content, hash };
  });
}

describe('audit chain over the stored text', () => {
  it('hashes canonical stored text exactly as the parsed event (the hash of the chain did not change)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.string(), (before, after, entityId) => {
        const content = { seq: 1, at: '2023-05-15T08:00:00.000Z', actorId: 'u', actorName: 'n', role: 'agency', establishment: null, action: 'a', entity: 'e', entityId, prevHash: GENESIS_HASH };
        const parsed = { ...content, before: JSON.parse(canonicalJson(before)) as unknown, after: JSON.parse(canonicalJson(after)) as unknown };
        expect(hashStoredAuditEvent({ ...content, before: storedJsonText(parsed.before), after: storedJsonText(parsed.after) })).toBe(hashAuditEvent(parsed));
      }),
    );
  });

  it('accepts an intact chain and detects any change of the stored text, even one that parses alike', () => {
    const events = stored(4);
    expect(verify(events)).toMatchObject({ ok: true, events: 4, firstBrokenAt: null, checkpoint: null });
    const spaced = events.map((e) => (e.seq === 2 ? { ...e, after: e.after!.replace(':', ': ') } : e));
    expect(verify(spaced)).toMatchObject({ ok: false, firstBrokenAt: 2, reason: 'event 2 was changed after it was written' });
  });

  it('reports a row whose JSON is corrupt as broken at that event', () => {
    const events = stored(3).map((e) => (e.seq === 2 ? { ...e, after: '{"version":' } : e));
    expect(verify(events)).toMatchObject({ ok: false, firstBrokenAt: 2, reason: 'event 2 holds a before or after value that is not JSON' });
  });

  it('detects the last events removed with the head moved back, against a checkpoint', () => {
    const events = stored(6);
    const checkpoint = { seq: 6, hash: events[5]!.hash };
    const truncated = events.slice(0, 4);
    const movedHead = { seq: 4, hash: truncated[3]!.hash };
    expect(verify(truncated, null, movedHead).ok).toBe(true);
    expect(verify(truncated, checkpoint, movedHead)).toMatchObject({ ok: false, firstBrokenAt: 5, checkpoint: { seq: 6, ok: false } });
  });

  it('detects an event edited with the chain recomputed after it, against a checkpoint', () => {
    const events = stored(6);
    const checkpoint = { seq: 5, hash: events[4]!.hash };
    const edited = recompute(events.map((e) => (e.seq === 3 ? { ...e, after: '{"version":33}' } : e)));
    expect(verify(edited, null, { seq: 6, hash: edited[5]!.hash }).ok).toBe(true);
    expect(verify(edited, checkpoint)).toMatchObject({ ok: false, firstBrokenAt: 5, checkpoint: { seq: 5, ok: false } });
  });

  it('accepts a chain that extends its checkpoint, whatever was appended since', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), (at, more) => {
        const events = stored(at + more);
        const checkpoint = { seq: at, hash: at === 0 ? GENESIS_HASH : events[at - 1]!.hash };
        expect(verify(events, checkpoint)).toMatchObject({ ok: true, checkpoint: { seq: at, ok: true, reason: null } });
      }),
    );
  });

  it('refuses any rewrite of the history a checkpoint signed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.nat(), fc.boolean(), (n, pick, truncate) => {
        const events = stored(n);
        const checkpoint = { seq: n, hash: events[n - 1]!.hash };
        const at = (pick % n) + 1;
        const rewritten = truncate ? events.slice(0, at - 1) : recompute(events.map((e) => (e.seq === at ? { ...e, entityId: `${e.entityId}-forged` } : e)));
        expect(verify(rewritten, checkpoint).ok).toBe(false);
      }),
    );
  });
});
