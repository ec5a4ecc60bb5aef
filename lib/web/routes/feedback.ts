import type { Hono } from 'hono';
import { formCsrfGuard } from '#lib/web/csrf.ts';
import type { WebDependencies } from '#lib/web/dependencies.ts';
import { formToken, loadSubscriber, noStore } from '#lib/web/link-pages.ts';
import { verifyLinkToken } from '#lib/web/link-tokens.ts';
import { messagePage } from '#lib/web/pages/layout.ts';
import { feedbackPage } from '#lib/web/pages/subscription.ts';
import { HttpProblem } from '#lib/web/problem.ts';

/** The "not relevant?" link beside each story in a digest: GET asks, POST records once per reader. */
export function registerFeedbackRoutes(app: Hono, deps: WebDependencies): void {
  const csrfGuard = formCsrfGuard(deps.publicUrl);
  const load = (subscriberId: string) => loadSubscriber(deps, subscriberId);

  app.get('/feedback', async (c) => {
    const token = c.req.query('token');
    const { story, topicId } = await feedbackTarget(token);
    noStore(c);
    return c.html(
      await feedbackPage(
        story,
        deps.topics.find((topic) => topic.id === topicId),
        token as string,
      ),
    );
  });

  app.post('/feedback', csrfGuard, async (c) => {
    const { subscriberId, story, topicId } = await feedbackTarget(await formToken(c));
    await load(subscriberId);
    await deps.feedback.record({
      subscriberId,
      storyId: story.id,
      topicId,
      title: story.title,
      summary: story.summary,
      storyTopics: story.topics.map((match) => match.id),
      recordedAt: deps.now().toISOString(),
    });
    return c.html(
      await messagePage(
        'Thank you',
        'Your feedback is recorded. It helps Cipherwatch learn which stories belong to which topic.',
      ),
    );
  });

  async function feedbackTarget(token: string | undefined) {
    const payload = await verifyLinkToken(token, 'feedback', deps);
    const [storyId, topicId] = (payload.subject ?? '').split('#');
    if (!storyId || !topicId)
      throw new HttpProblem(400, 'This link does not work', 'Open it again from the email.');
    const story = await deps.stories.get(storyId);
    if (!story) throw new HttpProblem(404, 'Story not found', 'This story is no longer in the archive.');
    return { subscriberId: payload.subscriberId, story, topicId };
  }
}
