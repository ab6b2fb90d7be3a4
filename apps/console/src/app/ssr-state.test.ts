import { describe, expect, it } from 'vitest';
import { readSsrState, serializeSsrState, SSR_STATE_ID, type SsrState } from './ssr-state';

const state = (description: string): SsrState => ({
  language: 'vi',
  queries: { mutations: [], queries: [{ queryKey: ['images', 'detail'], queryHash: 'h', state: { data: { description } } } as never] },
  router: { loaderData: { '0': null }, actionData: null, errors: null },
});

/** A document holding one state block with this text, as the server writes it. */
const doc = (text: string | null) =>
  ({ getElementById: (id: string) => (id === SSR_STATE_ID && text !== null ? { textContent: text } : null) }) as unknown as Document;

describe('the server render state block', () => {
  it('cannot be ended or commented out by what users wrote, and reads back exactly', () => {
    const nasty = '</script><script>alert(1)</script><!-- \u2028 é';
    const text = serializeSsrState(state(nasty));
    expect(text).not.toContain('<');
    expect(readSsrState(doc(text))).toEqual(state(nasty));
  });

  it('is null for a page without one, or with a broken or foreign one', () => {
    expect(readSsrState(doc(null))).toBeNull();
    expect(readSsrState(doc('{"language":'))).toBeNull();
    expect(readSsrState(doc(JSON.stringify({ ...state('x'), language: 'fr' })))).toBeNull();
    expect(readSsrState(doc(JSON.stringify({ language: 'en' })))).toBeNull();
  });
});
