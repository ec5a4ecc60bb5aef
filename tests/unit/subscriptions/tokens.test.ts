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
});
