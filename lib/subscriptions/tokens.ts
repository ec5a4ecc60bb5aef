import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOKEN_PURPOSES = ['unsubscribe', 'manage', 'confirm', 'feedback'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Confirmation links work this long: as long as an unconfirmed sign-up is kept. */
export const CONFIRM_TOKEN_TTL_MS = 7 * 86_400_000;
/**
 * Manage and feedback links work this long: every digest carries fresh ones, so a reader always has a
 * working link, while one forwarded or leaked long ago stops opening their settings. Unsubscribe links
 * do not expire: one-click unsubscribe must keep working from any old email (RFC 8058 practice).
 */
export const LINK_TOKEN_TTL_MS = 90 * 86_400_000;
const DEFAULT_TTL_MS: Partial<Record<TokenPurpose, number>> = {
  manage: LINK_TOKEN_TTL_MS,
  feedback: LINK_TOKEN_TTL_MS,
};
/** Purposes whose links must carry an expiry; one without is refused. */
const MUST_EXPIRE: ReadonlySet<TokenPurpose> = new Set(['confirm', 'manage', 'feedback']);

/** What a signed link token says: who, for what, and until when (ISO UTC; absent = no expiry). */
export interface TokenPayload {
  subscriberId: string;
  purpose: TokenPurpose;
  expiresAt?: string | undefined;
  /** What the link is about beyond the subscriber, e.g. `<storyId>#<topicId>` for feedback links. */
  subject?: string | undefined;
}

/** What `signToken` accepts: a payload whose expiry may also be given as a Date. */
export interface TokenClaims {
  subscriberId: string;
  purpose: TokenPurpose;
  expiresAt?: Date | string | undefined;
  subject?: string | undefined;
}

export type InvalidTokenReason = 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired';

/** A link token that cannot be trusted. The reason is for logs; people should see one calm message. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: InvalidTokenReason) {
    super(`this link is not valid (${reason})`);
  }
}

/** The signing secret is missing or too short to be safe. */
export class TokenSecretError extends Error {
  override name = 'TokenSecretError';
}

const MIN_SECRET_LENGTH = 16;
/** Version prefix inside the MAC input, so a future format cannot be confused with this one. */
const MAC_CONTEXT = 'cipherwatch-token-v1.';

interface WirePayload {
  s: string;
  p: TokenPurpose;
  e?: number;
  /** Subject; absent in tokens that name only a subscriber (all tokens before feedback links). */
  r?: string;
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TokenSecretError(`token secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function mac(encodedPayload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(MAC_CONTEXT).update(encodedPayload).digest();
}

/** Signs a link token (`base64url(payload).base64url(hmac-sha256)`) for unsubscribe, manage or confirm links. */
export function signToken(claims: TokenClaims, secret: string): string {
  checkSecret(secret);
  if (!claims.subscriberId) throw new TypeError('signToken needs a subscriberId');
  if (!TOKEN_PURPOSES.includes(claims.purpose))
    throw new TypeError(`unknown token purpose "${claims.purpose}"`);
  const wire: WirePayload = { s: claims.subscriberId, p: claims.purpose };
  if (claims.subject !== undefined) wire.r = claims.subject;
  const defaultTtl = DEFAULT_TTL_MS[claims.purpose];
  const expiresAt =
    claims.expiresAt ?? (defaultTtl === undefined ? undefined : new Date(Date.now() + defaultTtl));
  if (expiresAt !== undefined) {
    const expiresMs = new Date(expiresAt).getTime();
    if (Number.isNaN(expiresMs)) throw new TypeError(`invalid token expiry "${String(expiresAt)}"`);
    wire.e = Math.floor(expiresMs / 1000);
  }
  const encoded = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${encoded}.${mac(encoded, secret).toString('base64url')}`;
}

function isCanonicalBase64Url(text: string): boolean {
  return Buffer.from(text, 'base64url').toString('base64url') === text;
}

function decodeWire(encoded: string): WirePayload {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('malformed');
  }
  if (typeof value !== 'object' || value === null) throw new InvalidTokenError('malformed');
  const { s, p, e, r } = value as Record<string, unknown>;
  if (typeof s !== 'string' || s.length === 0) throw new InvalidTokenError('malformed');
  if (typeof p !== 'string' || !(TOKEN_PURPOSES as readonly string[]).includes(p)) {
    throw new InvalidTokenError('malformed');
  }
  if (e !== undefined && (typeof e !== 'number' || !Number.isFinite(e)))
    throw new InvalidTokenError('malformed');
  if (r !== undefined && (typeof r !== 'string' || r.length === 0)) throw new InvalidTokenError('malformed');
  return { s, p: p as TokenPurpose, ...(e === undefined ? {} : { e }), ...(r === undefined ? {} : { r }) };
}

/**
 * Checks a token's signature (in constant time), purpose and expiry, and returns what it says.
 * Throws InvalidTokenError for anything that does not verify.
 */
export function verifyToken(
  token: string,
  secret: string,
  purpose: TokenPurpose,
  now = new Date(),
): TokenPayload {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length > 1024) throw new InvalidTokenError('malformed');
  const parts = token.split('.');
  const [encoded, signature] = parts;
  if (
    parts.length !== 2 ||
    !encoded ||
    !signature ||
    !/^[\w-]+$/.test(encoded) ||
    !/^[\w-]+$/.test(signature)
  ) {
    throw new InvalidTokenError('malformed');
  }
  const expected = mac(encoded, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidTokenError('bad-signature');
  }
  // base64url leaves spare bits in a last character: only the one spelling signToken writes is a token.
  if (given.toString('base64url') !== signature || !isCanonicalBase64Url(encoded)) {
    throw new InvalidTokenError('malformed');
  }
  const wire = decodeWire(encoded);
  if (wire.p !== purpose) throw new InvalidTokenError('wrong-purpose');
  if (wire.e === undefined && MUST_EXPIRE.has(purpose)) throw new InvalidTokenError('malformed');
  if (wire.e !== undefined && now.getTime() >= wire.e * 1000) throw new InvalidTokenError('expired');
  return {
    subscriberId: wire.s,
    purpose: wire.p,
    ...(wire.e === undefined ? {} : { expiresAt: new Date(wire.e * 1000).toISOString() }),
    ...(wire.r === undefined ? {} : { subject: wire.r }),
  };
}
