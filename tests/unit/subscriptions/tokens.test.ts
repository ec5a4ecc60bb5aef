import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError, signToken, TokenSecretError, verifyToken } from '#lib/subscriptions/tokens.ts';

const SECRET = 'test-secret-0123456789abcdef';

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('signToken and verifyToken', () => {
  it('round-trips the subscriber id and purpose', () => {
    const token = signToken({ subscriberId: 'sub-1', purpose: 'unsubscribe' }, SECRET);

    const payload = verifyToken(token, SECRET, 'unsubscribe');

    expect(payload).toEqual({ subscriberId: 'sub-1', purpose: 'unsubscribe' });
  });

  it('produces a url-safe token of two base64url parts', () => {
    const token = signToken({ subscriberId: 'sub/with+odd=chars', purpose: 'manage' }, SECRET);

    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it('keeps an expiry and accepts the token before it', () => {
    const token = signToken(
      { subscriberId: 'sub-1', purpose: 'confirm', expiresAt: '2026-04-01T00:00:00Z' },
      SECRET,
    );

    const payload = verifyToken(token, SECRET, 'confirm', new Date('2026-03-31T23:59:00Z'));

    expect(payload.expiresAt).toBe('2026-04-01T00:00:00.000Z');
  });

  it('rejects an expired token', () => {
    const token = signToken(
      { subscriberId: 'sub-1', purpose: 'confirm', expiresAt: new Date('2026-04-01T00:00:00Z') },
      SECRET,
    );

    expect(reasonOf(() => verifyToken(token, SECRET, 'confirm', new Date('2026-04-01T00:00:00Z')))).toBe(
      'expired',
    );
  });

  it('rejects a token signed for another purpose', () => {
    const token = signToken({ subscriberId: 'sub-1', purpose: 'manage' }, SECRET);

    expect(reasonOf(() => verifyToken(token, SECRET, 'unsubscribe'))).toBe('wrong-purpose');
  });

  it('rejects a token signed with another secret', () => {
    const token = signToken({ subscriberId: 'sub-1', purpose: 'unsubscribe' }, 'another-secret-0123456789');

    expect(reasonOf(() => verifyToken(token, SECRET, 'unsubscribe'))).toBe('bad-signature');
  });

  it('rejects a payload edited to name another subscriber', () => {
    const token = signToken({ subscriberId: 'sub-1', purpose: 'unsubscribe' }, SECRET);
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ s: 'sub-2', p: 'unsubscribe' })).toString('base64url');

    expect(reasonOf(() => verifyToken(`${forged}.${signature}`, SECRET, 'unsubscribe'))).toBe(
      'bad-signature',
    );
  });

  it.each(['', 'no-dot', 'a.b.c', '!!.??', 'abc.'])('rejects the malformed token %j', (token) => {
    expect(reasonOf(() => verifyToken(token, SECRET, 'unsubscribe'))).toBe('malformed');
  });

  it('refuses to sign with a short secret', () => {
    expect(() => signToken({ subscriberId: 'sub-1', purpose: 'manage' }, 'short')).toThrow(TokenSecretError);
  });

  it('gives people a calm message without details of the failure', () => {
    const token = signToken({ subscriberId: 'sub-1', purpose: 'manage' }, SECRET);

    expect(() => verifyToken(token, SECRET, 'unsubscribe')).toThrow('this link is not valid (wrong-purpose)');
  });

  it('carries a subject for feedback links, bound by the signature', () => {
    const token = signToken(
      { subscriberId: 'sub-1', purpose: 'feedback', subject: 'story-9#encryption' },
      SECRET,
    );

    expect(verifyToken(token, SECRET, 'feedback')).toEqual({
      subscriberId: 'sub-1',
      purpose: 'feedback',
      subject: 'story-9#encryption',
      expiresAt: expect.any(String),
    });
    const [, signature] = token.split('.');
    const otherStory = Buffer.from(
      JSON.stringify({ s: 'sub-1', p: 'feedback', r: 'story-1#encryption' }),
    ).toString('base64url');
    expect(reasonOf(() => verifyToken(`${otherStory}.${signature}`, SECRET, 'feedback'))).toBe(
      'bad-signature',
    );
  });

  it('refuses a confirm token without an expiry', () => {
    const token = signToken({ subscriberId: 'sub-1', purpose: 'confirm' }, SECRET);

    expect(reasonOf(() => verifyToken(token, SECRET, 'confirm'))).toBe('malformed');
  });

  it('still verifies unsubscribe and manage tokens signed before subjects existed', () => {
    // A token as the first release signed it: {s, p} only.
    const legacy = signToken({ subscriberId: 'sub-legacy', purpose: 'unsubscribe' }, SECRET);
    expect(JSON.parse(Buffer.from(legacy.split('.')[0] as string, 'base64url').toString())).toEqual({
      s: 'sub-legacy',
      p: 'unsubscribe',
    });

    expect(verifyToken(legacy, SECRET, 'unsubscribe')).toEqual({
      subscriberId: 'sub-legacy',
      purpose: 'unsubscribe',
    });
  });

  it('gives manage and feedback links a 90-day life, and keeps one-click unsubscribe links valid', () => {
    const signedAt = Date.now();
    const manage = signToken({ subscriberId: 'sub-1', purpose: 'manage' }, SECRET);
    const unsubscribe = signToken({ subscriberId: 'sub-1', purpose: 'unsubscribe' }, SECRET);
    const in91Days = new Date(signedAt + 91 * 86_400_000);

    expect(reasonOf(() => verifyToken(manage, SECRET, 'manage', in91Days))).toBe('expired');
    expect(verifyToken(manage, SECRET, 'manage', new Date(signedAt + 89 * 86_400_000)).subscriberId).toBe(
      'sub-1',
    );
    expect(verifyToken(unsubscribe, SECRET, 'unsubscribe', in91Days).subscriberId).toBe('sub-1');
  });

  it('refuses a manage token that carries no expiry', () => {
    const forever = signToken({ subscriberId: 'sub-1', purpose: 'unsubscribe' }, SECRET).split(
      '.',
    )[0] as string;
    const wire = Buffer.from(JSON.stringify({ s: 'sub-1', p: 'manage' })).toString('base64url');
    expect(forever).not.toBe(wire);

    expect(reasonOf(() => verifyToken(signedWire(wire), SECRET, 'manage'))).toBe('malformed');
  });

  it('accepts one spelling of each token: no other last character of the signature verifies', () => {
    const token = signToken({ subscriberId: 'sub-1', purpose: 'unsubscribe' }, SECRET);
    const [payload, signature] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variants = [...alphabet]
      .map((last) => `${payload}.${signature.slice(0, -1)}${last}`)
      .filter((candidate) => candidate !== token);

    const verifying = variants.filter((candidate) => {
      try {
        verifyToken(candidate, SECRET, 'unsubscribe');
        return true;
      } catch {
        return false;
      }
    });

    expect(verifying).toEqual([]);
  });
});

/** A token over a hand-made payload, correctly signed: for payloads signToken would never write. */
function signedWire(encoded: string): string {
  const mac = createHmac('sha256', SECRET)
    .update('cipherwatch-token-v1.')
    .update(encoded)
    .digest('base64url');
  return `${encoded}.${mac}`;
}
