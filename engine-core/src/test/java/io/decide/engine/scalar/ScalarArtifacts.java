package io.decide.engine.scalar;

import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;
import io.decide.testsupport.RandomEnsembles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Random COHORT_SCALARS artifacts (optionally with GBDT sensitivity models), written with the project's writers. */
final class ScalarArtifacts
{
    /** One bid as written. */
    record Bid(int bidId, int direction, double lower, double upper, double defaultScalar, double[] boundaries,
        double[] scalars, int modelOrdinal, int modelOutput)
    {
    }

    /** A written artifact: its bids and models. */
    record Spec(List<Bid> bids, List<TreeEnsemble> models)
    {
    }

    private ScalarArtifacts()
    {
    }

    /**
     * @param random   randomness.
     * @param maxBids  most bids.
     * @param withGbdt whether some bids get a random GBDT sensitivity model.
     * @return a random spec.
     */
    static Spec random(final Random random, final int maxBids, final boolean withGbdt)
    {
        final List<TreeEnsemble> models = new ArrayList<>();
        if (withGbdt)
        {
            final int modelCount = 1 + random.nextInt(2);
            for (int m = 0; m < modelCount; m++)
            {
                models.add(RandomEnsembles.ensemble(random, new RandomEnsembles.Shape(1 + random.nextInt(6),
                    1 + random.nextInt(3), 1 + random.nextInt(12), random.nextInt(5), false, random.nextBoolean())));
            }
        }
        final int q = 1 + random.nextInt(maxBids);
        final List<Bid> bids = new ArrayList<>();
        for (int b = 0; b < q; b++)
        {
            final int n = 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
            final double[] boundaries = new double[n - 1];
            double at = random.nextGaussian() * 3;
            for (int i = 0; i < n - 1; i++)
            {
                boundaries[i] = at;
                at += random.nextInt(4) == 0 ? Math.ulp(at) : 0.01 + random.nextDouble();
            }
            final double lower = 0.25 + random.nextDouble();
            final double upper = lower + (random.nextInt(8) == 0 ? 0 : 2 * random.nextDouble());
            final double[] scalars = new double[n];
            for (int i = 0; i < n; i++)
            {
                scalars[i] = random.nextInt(3) == 0 ? lower : lower + (upper - lower) * random.nextDouble();
            }
            Arrays.sort(scalars);
            final int direction = random.nextBoolean() ? CohortScalarsDescriptor.INCREASING :
                CohortScalarsDescriptor.DECREASING;
            if (direction == CohortScalarsDescriptor.DECREASING)
            {
                for (int i = 0; i < n / 2; i++)
                {
                    final double t = scalars[i];
                    scalars[i] = scalars[n - 1 - i];
                    scalars[n - 1 - i] = t;
                }
            }
            final double defaultScalar = lower + (upper - lower) * random.nextDouble();
            int ordinal = CohortScalarsDescriptor.NO_MODEL;
            int output = 0;
            if (!models.isEmpty() && random.nextInt(4) != 0)
            {
                ordinal = random.nextInt(models.size());
                output = random.nextInt(models.get(ordinal).outputCount());
            }
            bids.add(new Bid(7 * b + random.nextInt(7), direction, lower, upper, defaultScalar, boundaries, scalars,
                ordinal, output));
        }
        return new Spec(bids, models);
    }

    /**
     * @param spec the artifact's content.
     * @param file where to write it.
     * @return it, loaded (close it afterwards).
     * @throws IOException when it cannot be written or read.
     */
    static LoadedArtifact write(final Spec spec, final Path file) throws IOException
    {
        final CohortScalarsWriter section = new CohortScalarsWriter();
        for (final Bid bid : spec.bids())
        {
            section.addBid(bid.bidId(), bid.direction(), CohortScalarsDescriptor.METHOD_MANUAL, bid.lower(),
                bid.upper(), bid.defaultScalar(), bid.boundaries(), bid.scalars(), bid.modelOrdinal(),
                bid.modelOutput());
        }
        final ArtifactWriter writer = new ArtifactWriter("scalars", 1);
        for (final TreeEnsemble model : spec.models())
        {
            writer.addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(model));
        }
        writer.addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section.toBytes()).writeTo(file);
        return new ArtifactLoader(LoadOptions.defaults()).open(file);
    }

    /**
     * @param random randomness.
     * @param bid    a bid.
     * @return a sensitivity that is often exactly a boundary, one ulp beside one, outside the range, or NaN.
     */
    static double sensitivity(final Random random, final Bid bid)
    {
        final double[] cuts = bid.boundaries();
        final int kind = random.nextInt(8);
        if (cuts.length == 0 || kind == 0)
        {
            return random.nextGaussian() * 10;
        }
        final double cut = cuts[random.nextInt(cuts.length)];
        switch (kind)
        {
            case 1: return Math.nextDown(cut);
            case 2: return Math.nextUp(cut);
            case 3: return Double.NaN;
            case 4: return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            default: return cut;
        }
    }
}
