import type { Story } from '#lib/stories/story.ts';

/** One story as it appears in a digest, with near-duplicates folded into it. */
export interface DigestEntry {
  story: Story;
  /** The story's score in the section's topic, 0–1. */
  score: number;
  /** Why the story is here, from the classifier's evidence, e.g. `Matched "end-to-end encryption" in: “…”`. */
  why: string;
  /** Feed names of other outlets carrying this story or a near-identical copy of it. */
  alsoReportedBy: string[];
}

/** The stories of one topic in a digest, best first, with a count of those left out by the cap. */
export interface DigestSection {
  topicId: string;
  topicName: string;
  entries: DigestEntry[];
  moreCount: number;
}

/** What one email to one subscriber says. Pure data: rendering and sending come later. */
export interface Digest {
  subscriberId: string;
  /** The window's key (`daily:2026-03-29`, `weekly:2026-W13`, `instant:<batch>`), for idempotency. */
  windowKey: string;
  /** The window a scheduled digest covers (ISO UTC), for its "and N more" archive links; alerts have none. */
  window?: { start: string; end: string } | undefined;
  sections: DigestSection[];
  /**
   * Every story the email covers, folded copies and those behind "and N more" (linked to the archive)
   * included: record these as sent, so the count in the subject is what the ledger holds.
   */
  storyIds: string[];
  /** Clusters of the stories shown, so a later copy of the same wire story can be recognised as sent. */
  clusterIds: string[];
  /** Distinct stories the digest covers: entries shown plus those counted in "and N more". */
  totalStories: number;
}
