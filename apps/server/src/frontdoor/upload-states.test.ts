import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stateOffset, UploadStates } from './upload-states.ts';

/** A state shaped as distribution writes it: 32 bytes of HMAC, then JSON, base64url with padding. */
const state = (offset: number, uuid = 'u1') =>
  Buffer.concat([crypto.randomBytes(32), Buffer.from(JSON.stringify({ Name: 'team/app', UUID: uuid, Offset: offset, StartedAt: '2026-01-01T00:00:00Z' }))]).toString(
    'base64url',
  ) + '==';
const upload = (s: string, extra = '') => `/v2/team/app/blobs/uploads/u1?_state=${encodeURIComponent(s)}${extra}`;
const sentState = (path: string) => new URL(path, 'http://x').searchParams.get('_state');

describe('upload states (distribution’s signed upload offsets)', () => {
  it('reads the offset distribution wrote into a state, and nothing from anything else', () => {
    expect(stateOffset(state(22))).toBe(22);
    expect(stateOffset('not-a-state')).toBeNull();
    expect(stateOffset(Buffer.from('x'.repeat(32) + '{"Offset":"22"}').toString('base64url'))).toBeNull();
  });

  it('sends the newest state in place of an older one the client sent, keeping the other parameters', () => {
    const states = new UploadStates();
    const first = state(0);
    const newest = state(22);
    states.remember(`http://127.0.0.1:5000${upload(first)}`);
    states.remember(`http://127.0.0.1:5000${upload(newest)}`);
    const sent = states.current(upload(first, '&digest=sha256%3Aabc'));
    expect(sentState(sent)).toBe(newest);
    expect(new URL(sent, 'http://x').searchParams.get('digest')).toBe('sha256:abc');
    expect(new URL(sent, 'http://x').pathname).toBe('/v2/team/app/blobs/uploads/u1');
  });

  it('leaves a client’s state alone when it is as new or newer (another instance served the chunk in between)', () => {
    const states = new UploadStates();
    states.remember(upload(state(22)));
    const newer = upload(state(42));
    expect(states.current(newer)).toBe(newer);
    // And an older Location seen later does not replace a newer one.
    states.remember(upload(state(0)));
    expect(sentState(states.current(upload(state(10))))).not.toBeNull();
    expect(stateOffset(sentState(states.current(upload(state(10))))!)).toBe(22);
  });

  it('changes nothing for other sessions, other paths, or states it cannot read', () => {
    const states = new UploadStates();
    states.remember(upload(state(22)));
    const other = `/v2/team/app/blobs/uploads/u2?_state=${encodeURIComponent(state(0, 'u2'))}`;
    expect(states.current(other)).toBe(other);
    expect(states.current('/v2/team/app/manifests/latest')).toBe('/v2/team/app/manifests/latest');
    states.remember('/v2/team/app/blobs/uploads/u3?_state=opaque');
    const opaque = '/v2/team/app/blobs/uploads/u3?_state=older';
    expect(states.current(opaque)).toBe(opaque);
    // A client's state Berth cannot read is left as sent too.
    const unreadable = '/v2/team/app/blobs/uploads/u1?_state=garbled';
    expect(states.current(unreadable)).toBe(unreadable);
  });

  it('keeps at most `max` sessions, forgetting the oldest first', () => {
    const states = new UploadStates(2);
    const path = (id: string, s: string) => `/v2/team/app/blobs/uploads/${id}?_state=${encodeURIComponent(s)}`;
    const a = state(5, 'a');
    states.remember(path('a', a));
    states.remember(path('b', state(5, 'b')));
    states.remember(path('c', state(5, 'c')));
    const stale = path('a', state(0, 'a'));
    expect(states.current(stale)).toBe(stale);
    const staleC = path('c', state(0, 'c'));
    expect(states.current(staleC)).not.toBe(staleC);
  });
});
