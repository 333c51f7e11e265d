package io.decide.engine.adslot;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.state.SessionStateCursor;
import io.decide.format.SectionType;
import io.decide.format.adslot.AdSlotPolicyFlyweight;

import java.util.Arrays;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;

/**
 * Decides the ad-slot pattern of a feed fetch from an AD_SLOT_POLICY section (see {@code AdSlotPolicyDescriptor}
 * for the rules it interprets and {@code docs/ADSLOT.md} for the whole decision):
 * <ol>
 *   <li>read the user's session state and write its features into their context slots;</li>
 *   <li>allow every pattern except those whose first ad would come fewer than g posts after the session's last
 *       ad (the empty pattern is always allowed);</li>
 *   <li>rank the allowed patterns: reward {@code λ·SAT + (1−λ)·ADS} from the GBDT models (ties to the lower
 *       index), or the static / fatigue-threshold baseline;</li>
 *   <li>build the probability vector: greedy, ε-greedy or softmax (uniform for holdout users), then the floor;</li>
 *   <li>draw {@code u = AdSlotRandom.uniform(artifact version, request id)} and take the first pattern whose
 *       cumulative probability exceeds u;</li>
 *   <li>record the chosen mask in the session state now, or hold it for {@link #commit}.</li>
 * </ol>
 * Joint single-output models are evaluated through {@link ActionSplitModel}: the trees that never split on the ad
 * count or mask once per request, the others once per allowed pattern, summed in the model's order, so rewards are
 * bit-identical to evaluating each pattern's row whole at a fraction of the cost.
 * <p>
 * Immutable and thread-safe; each thread uses its own {@link AdSlotContext} and {@link SessionStateCursor}.
 * {@link #decide} and {@link #commit} allocate nothing.
 */
public final class AdSlotDecider
{
    private final String artifactName;
    private final long artifactVersion;
    private final int slotCount;
    private final int minGap;
    private final int kind;
    private final int modelMode;
    private final int exploration;
    private final int patternCount;
    private final int contextCount;
    private final int rowLength;
    private final int[] masks;
    private final int[] adCounts;
    private final int[] firstSlot;
    private final int[] patternOfMask;
    private final double lambda;
    private final double epsilon;
    private final double temperature;
    private final double holdoutPercent;
    private final double floor;
    private final long holdoutSalt;
    private final int staticOffset;
    private final int staticPostGap;
    private final int forbiddenMask;
    private final int maxAds;
    private final int fatigueFeature;
    private final double fatigueThreshold;
    private final int fatigueLow;
    private final int fatigueHigh;
    private final boolean transformed;
    private final int[] stateSlots;
    private final GbdtEvaluator[] models;
    private final int[] satModel;
    private final int[] adsModel;
    private final ActionSplitModel[] split;

    private AdSlotDecider(final LoadedArtifact artifact, final AdSlotPolicyFlyweight p)
    {
        artifactName = artifact.name();
        artifactVersion = artifact.version();
        slotCount = p.slotCount();
        minGap = p.minGap();
        kind = p.policyKind();
        modelMode = p.modelMode();
        exploration = p.exploration();
        patternCount = p.patternCount();
        contextCount = p.contextFeatureCount();
        rowLength = contextCount + (modelMode == MODELS_JOINT ? 2 : 0);
        masks = new int[patternCount];
        adCounts = new int[patternCount];
        firstSlot = new int[patternCount];
        patternOfMask = new int[1 << slotCount];
        Arrays.fill(patternOfMask, -1);
        for (int i = 0; i < patternCount; i++)
        {
            masks[i] = p.mask(i);
            adCounts[i] = Integer.bitCount(masks[i]);
            firstSlot[i] = Integer.numberOfTrailingZeros(masks[i]);
            patternOfMask[masks[i]] = i;
        }
        lambda = p.lambda();
        epsilon = p.epsilon();
        temperature = p.temperature();
        holdoutPercent = p.holdoutPercent();
        floor = p.floor();
        holdoutSalt = p.holdoutSalt();
        staticOffset = p.staticOffset();
        staticPostGap = p.staticPostGap();
        forbiddenMask = p.forbiddenMask();
        maxAds = p.maxAds();
        fatigueFeature = p.fatigueFeature();
        fatigueThreshold = p.fatigueThreshold();
        fatigueLow = p.fatigueLowPattern();
        fatigueHigh = p.fatigueHighPattern();
        transformed = p.scoreOutput() == SCORE_TRANSFORMED;
        stateSlots = new int[STATE_FEATURE_COUNT];
        for (int s = 0; s < STATE_FEATURE_COUNT; s++)
        {
            stateSlots[s] = p.stateSlot(s);
        }
        final int ordinals = p.modelOrdinalCount();
        final int[] distinct = new int[ordinals];
        int distinctCount = 0;
        final int[] modelOf = new int[ordinals];
        for (int i = 0; i < ordinals; i++)
        {
            final int ordinal = p.modelOrdinal(i);
            int found = -1;
            for (int d = 0; d < distinctCount; d++)
            {
                if (distinct[d] == ordinal)
                {
                    found = d;
                }
            }
            if (found < 0)
            {
                found = distinctCount;
                distinct[distinctCount++] = ordinal;
            }
            modelOf[i] = found;
        }
        models = new GbdtEvaluator[distinctCount];
        for (int d = 0; d < distinctCount; d++)
        {
            models[d] = GbdtEvaluator.of(artifact, distinct[d]);
        }
        ActionSplitModel[] splitModels = null;
        if (modelMode == MODELS_JOINT)
        {
            splitModels = new ActionSplitModel[distinctCount];
            for (int d = 0; d < distinctCount && splitModels != null; d++)
            {
                splitModels[d] = ActionSplitModel.of(models[d].ensemble(), contextCount);
                if (splitModels[d] == null)
                {
                    splitModels = null;
                }
            }
        }
        split = splitModels;
        satModel = new int[patternCount];
        adsModel = new int[patternCount];
        for (int i = 0; i < patternCount && ordinals > 0; i++)
        {
            final int base = modelMode == MODELS_JOINT ? 0 : 2 * i;
            satModel[i] = modelOf[base];
            adsModel[i] = modelOf[base + 1];
        }
    }

    /**
     * The decider of an AD_SLOT_POLICY section of a loaded artifact, built once and cached with the artifact (with
     * its GBDT models compiled or taken from the cache).
     *
     * @param artifact a loaded artifact.
     * @param ordinal  which AD_SLOT_POLICY section (0 = first).
     * @return the decider.
     * @throws IllegalArgumentException when the artifact has no such section.
     */
    public static AdSlotDecider of(final LoadedArtifact artifact, final int ordinal)
    {
        final int index = artifact.layout().indexOf(SectionType.AD_SLOT_POLICY, ordinal);
        if (index < 0)
        {
            throw new IllegalArgumentException(artifact + " has no AD_SLOT_POLICY #" + ordinal);
        }
        return artifact.attachment(index, AdSlotDecider.class, a -> new AdSlotDecider(a,
            new AdSlotPolicyFlyweight().wrap(a.buffer(), a.layout().sectionOffset(index))));
    }

    /** @return a context whose decisions update the session state at once. */
    public AdSlotContext newContext()
    {
        return newContext(null);
    }

    /**
     * @param pending where decisions wait for {@link #commit}; null to update state at decision time.
     * @return a new per-thread context.
     */
    public AdSlotContext newContext(final PendingDecisions pending)
    {
        final GbdtContext[] contexts = new GbdtContext[models.length];
        int outputs = 1;
        for (int d = 0; d < models.length; d++)
        {
            contexts[d] = models[d].newContext();
            outputs = Math.max(outputs, Math.max(models[d].outputCount(), models[d].transformedCount()));
        }
        ActionSplitModel.Context[] splitContexts = null;
        if (split != null)
        {
            splitContexts = new ActionSplitModel.Context[split.length];
            for (int d = 0; d < split.length; d++)
            {
                splitContexts[d] = new ActionSplitModel.Context(split[d], patternCount);
            }
        }
        return new AdSlotContext(this, rowLength, contexts, splitContexts, outputs, patternCount, contextCount,
            pending);
    }

    /**
     * Decide a feed's ad pattern for a user: read the state, decide, then update the state (or hold the decision in
     * the context's pending table until {@link #commit}).
     *
     * @param requestId request id (seeds the draw together with the artifact version).
     * @param userId    user id (state key and holdout hash).
     * @param nowMillis request time, epoch millis, > 0.
     * @param features  C context features from the host; the state slots' values are ignored (the state's are used).
     * @param state     the calling thread's state cursor.
     * @param context   the calling thread's context.
     * @return the context's decision object, filled in.
     */
    public AdSlotDecision decide(
        final long requestId, final long userId, final long nowMillis, final double[] features,
        final SessionStateCursor state, final AdSlotContext context)
    {
        state.read(userId, nowMillis);
        final double[] row = context.row;
        System.arraycopy(features, 0, row, 0, contextCount);
        final int[] slots = stateSlots;
        for (int s = 0; s < STATE_FEATURE_COUNT; s++)
        {
            final int slot = slots[s];
            if (slot >= 0)
            {
                row[slot] = state.feature(s);
            }
        }
        final AdSlotDecision d = decideRow(requestId, userId, state.postsSinceLastAd(), state.hadAdInSession(),
            context);
        d.nowMillis = nowMillis;
        final PendingDecisions pending = context.pending;
        if (pending == null)
        {
            state.record(userId, d.mask, slotCount, nowMillis);
            d.committed = true;
        }
        else if (!pending.put(requestId, userId, nowMillis, d.mask))
        {
            pending.countOverflow();
            state.record(userId, d.mask, slotCount, nowMillis);
            d.committed = true;
        }
        else
        {
            d.committed = false;
        }
        return d;
    }

    /**
     * Apply a pending decision's state update (commit-on-request mode).
     *
     * @param requestId the decision's request id.
     * @param state     the calling thread's state cursor.
     * @param context   the context that made the decision.
     * @return false when no such decision is pending (never made, already committed or removed, or committed at
     *         once because the pending table was full).
     */
    public boolean commit(final long requestId, final SessionStateCursor state, final AdSlotContext context)
    {
        final PendingDecisions pending = context.pending;
        if (pending == null)
        {
            return false;
        }
        final int slot = pending.find(requestId);
        if (slot < 0)
        {
            return false;
        }
        state.record(pending.userId(slot), pending.adMask(slot), slotCount, pending.time(slot));
        pending.removeAt(slot);
        return true;
    }

    /**
     * Decide from a complete context row, without touching any state store: used by {@link #decide} and by
     * replay (off-policy evaluation), where the logged row already holds the state features. The state update is
     * the caller's business.
     *
     * @param requestId        request id.
     * @param userId           user id (holdout hash).
     * @param features         C context features, state slots included.
     * @param postsSinceLastAd posts since the session's last ad.
     * @param hadAdInSession   whether the session has shown an ad (else the cross-feed gap does not apply).
     * @param context          the calling thread's context.
     * @return the context's decision object, filled in (never committed).
     */
    public AdSlotDecision replay(
        final long requestId, final long userId, final double[] features, final int postsSinceLastAd,
        final boolean hadAdInSession, final AdSlotContext context)
    {
        System.arraycopy(features, 0, context.row, 0, contextCount);
        final AdSlotDecision d = decideRow(requestId, userId, postsSinceLastAd, hadAdInSession, context);
        d.committed = false;
        return d;
    }

    private AdSlotDecision decideRow(
        final long requestId, final long userId, final int postsSinceLastAd, final boolean hadAdInSession,
        final AdSlotContext context)
    {
        final AdSlotDecision d = context.decision;
        final double[] row = context.row;
        final double[] p = d.probabilities;
        final double[] rewards = d.rewards;
        final boolean[] allowed = d.allowed;
        final int n = patternCount;
        final int[] first = firstSlot;
        final int gap = minGap;
        int allowedCount = 0;
        for (int i = 0; i < n; i++)
        {
            final boolean ok = i == 0 || !hadAdInSession || postsSinceLastAd + first[i] >= gap;
            allowed[i] = ok;
            rewards[i] = Double.NaN;
            p[i] = 0;
            if (ok)
            {
                allowedCount++;
            }
        }
        final int greedy;
        if (kind == KIND_MODEL_GREEDY)
        {
            score(row, allowed, rewards, context);
            greedy = argmax(allowed, rewards);
        }
        else if (kind == KIND_STATIC)
        {
            greedy = fallback(patternOfMask[staticMask(postsSinceLastAd, hadAdInSession)], allowed);
        }
        else
        {
            greedy = fallback(row[fatigueFeature] >= fatigueThreshold ? fatigueLow : fatigueHigh, allowed);
        }
        final boolean holdout = AdSlotRandom.inHoldout(holdoutSalt, userId, holdoutPercent);
        final double uniform = 1.0 / allowedCount;
        if (holdout)
        {
            for (int i = 0; i < n; i++)
            {
                p[i] = allowed[i] ? uniform : 0;
            }
        }
        else if (exploration == EXPLORE_SOFTMAX)
        {
            softmax(allowed, rewards, greedy, p);
        }
        else
        {
            final double e = exploration == EXPLORE_EPSILON_GREEDY ? epsilon : 0;
            final double spread = e * uniform;
            for (int i = 0; i < n; i++)
            {
                p[i] = allowed[i] ? spread : 0;
            }
            p[greedy] += 1 - e;
        }
        final double f = floor;
        if (f > 0)
        {
            final double scale = 1 - allowedCount * f;
            for (int i = 0; i < n; i++)
            {
                if (allowed[i])
                {
                    p[i] = f + scale * p[i];
                }
            }
        }
        final double u = AdSlotRandom.uniform(artifactVersion, requestId);
        int chosen = -1;
        int lastPositive = greedy;
        double cumulative = 0;
        for (int i = 0; i < n; i++)
        {
            final double pi = p[i];
            if (pi > 0)
            {
                cumulative += pi;
                lastPositive = i;
                if (u < cumulative)
                {
                    chosen = i;
                    break;
                }
            }
        }
        if (chosen < 0)
        {
            chosen = lastPositive;
        }
        System.arraycopy(row, 0, d.features, 0, contextCount);
        d.requestId = requestId;
        d.userId = userId;
        d.pattern = chosen;
        d.mask = masks[chosen];
        d.greedyPattern = greedy;
        d.allowedCount = allowedCount;
        d.propensity = p[chosen];
        d.draw = u;
        d.postsSinceLastAd = postsSinceLastAd;
        d.hadAdInSession = hadAdInSession;
        d.holdout = holdout;
        d.artifactName = artifactName;
        d.artifactVersion = artifactVersion;
        return d;
    }

    private void score(final double[] row, final boolean[] allowed, final double[] rewards, final AdSlotContext context)
    {
        final GbdtEvaluator[] m = models;
        final GbdtContext[] contexts = context.models;
        final double[] out = context.output;
        final int[] sat = satModel;
        final int[] ads = adsModel;
        final double l = lambda;
        final boolean joint = modelMode == MODELS_JOINT;
        final int c = contextCount;
        final ActionSplitModel[] splitModels = split;
        if (splitModels != null)
        {
            final ActionSplitModel.Context[] splitContexts = context.split;
            for (int d = 0; d < splitModels.length; d++)
            {
                splitModels[d].prepare(row, splitContexts[d]);
            }
            final double[] satScores = context.satScores;
            final double[] adsScores = context.adsScores;
            final int joint0 = sat[0];
            final int joint1 = ads[0];
            splitModels[joint0].scoreAll(row, c, adCounts, masks, allowed, patternCount, transformed, out, satScores,
                splitContexts[joint0]);
            splitModels[joint1].scoreAll(row, c, adCounts, masks, allowed, patternCount, transformed, out, adsScores,
                splitContexts[joint1]);
            for (int i = 0; i < patternCount; i++)
            {
                if (allowed[i])
                {
                    rewards[i] = l * satScores[i] + (1 - l) * adsScores[i];
                }
            }
            return;
        }
        for (int i = 0; i < patternCount; i++)
        {
            if (!allowed[i])
            {
                continue;
            }
            if (joint)
            {
                row[c] = adCounts[i];
                row[c + 1] = masks[i];
            }
            final double satScore = evaluate(m[sat[i]], row, out, contexts[sat[i]]);
            final double adsScore = evaluate(m[ads[i]], row, out, contexts[ads[i]]);
            rewards[i] = l * satScore + (1 - l) * adsScore;
        }
    }

    private double evaluate(final GbdtEvaluator model, final double[] row, final double[] out, final GbdtContext ctx)
    {
        if (transformed)
        {
            model.predict(row, out, ctx);
        }
        else
        {
            model.predictRaw(row, out, ctx);
        }
        return out[0];
    }

    private int argmax(final boolean[] allowed, final double[] rewards)
    {
        int best = 0;
        double bestReward = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < patternCount; i++)
        {
            if (allowed[i] && rewards[i] > bestReward)
            {
                bestReward = rewards[i];
                best = i;
            }
        }
        return best;
    }

    private void softmax(final boolean[] allowed, final double[] rewards, final int greedy, final double[] p)
    {
        final double max = rewards[greedy];
        if (!(max > Double.NEGATIVE_INFINITY) || max == Double.POSITIVE_INFINITY)
        {
            for (int i = 0; i < patternCount; i++)
            {
                p[i] = 0;
            }
            p[greedy] = 1;
            return;
        }
        final double inverseTemperature = 1.0 / temperature;
        double sum = 0;
        for (int i = 0; i < patternCount; i++)
        {
            final double r = rewards[i];
            final double w = allowed[i] && r == r ? StrictMath.exp((r - max) * inverseTemperature) : 0;
            p[i] = w;
            sum += w;
        }
        final double scale = 1.0 / sum;
        for (int i = 0; i < patternCount; i++)
        {
            p[i] *= scale;
        }
    }

    private int staticMask(final int postsSinceLastAd, final boolean hadAdInSession)
    {
        int since = postsSinceLastAd;
        int need = hadAdInSession ? staticPostGap : staticOffset;
        int mask = 0;
        int count = 0;
        for (int i = 0; i < slotCount; i++)
        {
            if (count < maxAds && (forbiddenMask & (1 << i)) == 0 && since >= need)
            {
                mask |= 1 << i;
                count++;
                since = 0;
                need = staticPostGap;
            }
            else
            {
                since++;
            }
        }
        return mask;
    }

    private int fallback(final int target, final boolean[] allowed)
    {
        if (target >= 0 && allowed[target])
        {
            return target;
        }
        final int limit = target >= 0 ? adCounts[target] : maxAds;
        int best = 0;
        for (int i = 1; i < patternCount; i++)
        {
            if (allowed[i] && adCounts[i] <= limit && adCounts[i] > adCounts[best])
            {
                best = i;
            }
        }
        return best;
    }

    /** @return the artifact's name. */
    public String artifactName()
    {
        return artifactName;
    }

    /** @return the artifact's version. */
    public long artifactVersion()
    {
        return artifactVersion;
    }

    /** @return number of patterns P. */
    public int patternCount()
    {
        return patternCount;
    }

    /**
     * @param pattern pattern index.
     * @return its ad mask.
     */
    public int mask(final int pattern)
    {
        return masks[pattern];
    }

    /** @return feed slots n. */
    public int slotCount()
    {
        return slotCount;
    }

    /** @return minimum clear slots between ads g. */
    public int minGap()
    {
        return minGap;
    }

    /** @return C, the context features a request passes. */
    public int contextFeatureCount()
    {
        return contextCount;
    }

    /** @return the probability floor. */
    public double floor()
    {
        return floor;
    }

    /**
     * @param stateFeature state feature id.
     * @return the context index it feeds, or -1.
     */
    public int stateSlot(final int stateFeature)
    {
        return stateSlots[stateFeature];
    }
}
