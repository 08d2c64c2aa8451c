/**
 * The `postingPeriods` service: asks the guards contributed to `postingPeriodGuards` whether a dated
 * posting may go into its period. The core owns neither periods nor postings; it only routes the
 * question so the plugin that closes periods and the one that posts never import each other.
 */
import { ProblemError, postingPeriodGuards, type PluginContext, type PostingDateRequest, type PostingDateResolution, type PostingPeriodService, type Transaction } from '@quartermaster/sdk';

export function createPostingPeriodService(ctx: PluginContext): PostingPeriodService {
  const guards = ctx.extensions(postingPeriodGuards);
  return {
    guarded: guards.length > 0,
    async resolve(tx: Transaction, request: PostingDateRequest): Promise<PostingDateResolution> {
      const requested = new Date(request.effectiveAt);
      if (Number.isNaN(requested.getTime())) throw new Error(`postingPeriods.resolve: effectiveAt "${request.effectiveAt}" is not a date-time`);
      let effectiveAt = requested.toISOString();
      let reason: string | null = null;
      for (const guard of guards) {
        // The guard runs as its contributor, inside the poster's transaction: its reads (and share
        // locks) belong to this posting, so a concurrent close waits for it or is seen by it.
        const decision = await ctx.joinTransactionAs(guard, tx, (gtx) => guard.check(gtx, { ...request, effectiveAt }));
        if (decision.action === 'refuse') {
          throw new ProblemError({
            type: 'posting-period-closed',
            status: 409,
            title: 'The accounting period is closed',
            detail: decision.reason,
            extensions: {
              period: decision.period,
              guard: guard.id,
              errors: [{ field: 'effectiveAt', message: `falls in the closed period ${decision.period}: ${decision.reason}`, reason: 'period-closed' }],
            },
          });
        }
        if (decision.action === 'redate') {
          const next = new Date(decision.effectiveAt);
          if (Number.isNaN(next.getTime())) throw new Error(`posting period guard ${guard.id} re-dated to "${decision.effectiveAt}", which is not a date-time`);
          effectiveAt = next.toISOString();
          reason = decision.reason;
        }
      }
      const redated = effectiveAt !== requested.toISOString();
      return { effectiveAt, redatedFrom: redated ? requested.toISOString() : null, reason: redated ? reason : null };
    },
  };
}
