package io.decide.engine.scalar;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsFlyweight;
import io.decide.testsupport.RandomEnsembles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Properties of {@link ScalarDecider} on random artifacts written with the project's writers and loaded by the
 * engine: it equals a straightforward reference (the section flyweight's binary search and scalar read, the
 * ensemble's reference semantics for the model path); scalars respect each bid's direction for any two
 * sensitivities s1 <= s2; unresolvable cohorts get the default and the counters count them exactly.
 */
class ScalarDeciderPropertyTest
{
    @TempDir
    Path dir;

    private int files;

    private LoadedArtifact write(final ScalarArtifacts.Spec spec) throws Exception
    {
        return ScalarArtifacts.write(spec, dir.resolve("scalars-" + (files++) + ".dpol"));
    }

    private static CohortScalarsFlyweight flyweight(final LoadedArtifact artifact)
    {
        return new CohortScalarsFlyweight().wrap(artifact.buffer(),
            artifact.sectionOffset(SectionType.COHORT_SCALARS, 0));
    }

    /** The reference: default for NaN, else the flyweight's binary search and the scalar it names. */
    private static double reference(final CohortScalarsFlyweight section, final int bid, final double s)
    {
        section.bid(bid);
        return s != s ? section.defaultScalar() : section.scalar(section.cohortOf(s));
    }

    @Test
    void sensitivitiesAndCohortsEqualTheFlyweightReferenceAndMissesAreCountedExactly()
    {
        qt().withExamples(120).forAll(longs().all()).checkAssert(seed ->
        {
            final Random random = new Random(seed);
            final ScalarArtifacts.Spec spec = ScalarArtifacts.random(random, 6, false);
            try
            {
                final LoadedArtifact artifact = write(spec);
                try
                {
                    final ScalarDecider decider = ScalarDecider.of(artifact);
                    final CohortScalarsFlyweight section = flyweight(artifact);
                    final int q = decider.bidCount();
                    assertEquals(spec.bids().size(), q);
                    final double[] s = new double[q];
                    final int[] cohorts = new int[q];
                    final double[] out = new double[q];
                    long expectedDefaults = 0;
                    for (int request = 0; request < 200; request++)
                    {
                        int nan = 0;
                        int outside = 0;
                        for (int b = 0; b < q; b++)
                        {
                            final ScalarArtifacts.Bid bid = spec.bids().get(b);
                            s[b] = ScalarArtifacts.sensitivity(random, bid);
                            nan += s[b] != s[b] ? 1 : 0;
                            cohorts[b] = random.nextInt(bid.scalars().length + 4) - 2;
                            outside += cohorts[b] < 0 || cohorts[b] >= bid.scalars().length ? 1 : 0;
                        }
                        assertEquals(nan, decider.scalarsForSensitivities(s, out), "seed " + seed);
                        for (int b = 0; b < q; b++)
                        {
                            assertEquals(Double.doubleToLongBits(reference(section, b, s[b])),
                                Double.doubleToLongBits(out[b]), "seed " + seed + " bid " + b + " s " + s[b]);
                            if (s[b] == s[b])
                            {
                                assertEquals(section.bid(b).cohortOf(s[b]), decider.cohortOf(b, s[b]));
                            }
                        }
                        assertEquals(outside, decider.scalarsForCohorts(cohorts, out), "seed " + seed);
                        for (int b = 0; b < q; b++)
                        {
                            section.bid(b);
                            final boolean inside = cohorts[b] >= 0 && cohorts[b] < section.cohortCount();
                            assertEquals(inside ? section.scalar(cohorts[b]) : section.defaultScalar(), out[b]);
                        }
                        expectedDefaults += nan + outside;
                        assertEquals(expectedDefaults, decider.defaultsServed(), "seed " + seed);
                    }
                    assertEquals(0, decider.unknownUsers());
                }
                finally
                {
                    artifact.close();
                }
            }
            catch (final Exception ex)
            {
                throw new AssertionError("seed " + seed, ex);
            }
        });
    }

    @Test
    void scalarsRespectTheDirectionForAnyTwoSensitivities()
    {
        qt().withExamples(120).forAll(longs().all()).checkAssert(seed ->
        {
            final Random random = new Random(seed);
            final ScalarArtifacts.Spec spec = ScalarArtifacts.random(random, 4, false);
            try
            {
                final LoadedArtifact artifact = write(spec);
                try
                {
                    final ScalarDecider decider = ScalarDecider.of(artifact);
                    final int q = decider.bidCount();
                    final double[] s1 = new double[q];
                    final double[] s2 = new double[q];
                    final double[] x1 = new double[q];
                    final double[] x2 = new double[q];
                    for (int pair = 0; pair < 300; pair++)
                    {
                        for (int b = 0; b < q; b++)
                        {
                            double a = ScalarArtifacts.sensitivity(random, spec.bids().get(b));
                            double c = ScalarArtifacts.sensitivity(random, spec.bids().get(b));
                            a = a != a ? -1e300 : a;
                            c = c != c ? 1e300 : c;
                            s1[b] = Math.min(a, c);
                            s2[b] = Math.max(a, c);
                        }
                        assertEquals(0, decider.scalarsForSensitivities(s1, x1));
                        assertEquals(0, decider.scalarsForSensitivities(s2, x2));
                        for (int b = 0; b < q; b++)
                        {
                            final boolean increasing = decider.direction(b) == CohortScalarsDescriptor.INCREASING;
                            assertTrue(increasing ? x1[b] <= x2[b] : x1[b] >= x2[b], "seed " + seed + " bid " + b +
                                ": s " + s1[b] + " <= " + s2[b] + " gave " + x1[b] + ", " + x2[b] + " (" +
                                (increasing ? "increasing" : "decreasing") + ")");
                        }
                    }
                }
                finally
                {
                    artifact.close();
                }
            }
            catch (final Exception ex)
            {
                throw new AssertionError("seed " + seed, ex);
            }
        });
    }

    @Test
    void modelPathEqualsTheEnsembleReferenceAndEvaluatesEachModelOnce()
    {
        qt().withExamples(80).forAll(longs().all()).checkAssert(seed ->
        {
            final Random random = new Random(seed);
            final ScalarArtifacts.Spec spec = ScalarArtifacts.random(random, 5, true);
            try
            {
                final LoadedArtifact artifact = write(spec);
                try
                {
                    final ScalarDecider decider = ScalarDecider.of(artifact);
                    final CohortScalarsFlyweight section = flyweight(artifact);
                    final ScalarContext context = decider.newContext();
                    final int q = decider.bidCount();
                    int features = 0;
                    int used = 0;
                    for (int m = 0; m < spec.models().size(); m++)
                    {
                        boolean named = false;
                        for (final ScalarArtifacts.Bid bid : spec.bids())
                        {
                            named |= bid.modelOrdinal() == m;
                        }
                        if (named)
                        {
                            used++;
                            features = Math.max(features, spec.models().get(m).featureCount());
                        }
                    }
                    assertEquals(used, decider.modelCount(), "seed " + seed);
                    assertEquals(features, decider.featureCount(), "seed " + seed);
                    final double[] out = new double[q];
                    final double[] margins = new double[3];
                    long expectedDefaults = 0;
                    for (int request = 0; request < 100; request++)
                    {
                        final double[] row = row(random, spec, Math.max(1, features));
                        int defaults = 0;
                        final double[] expected = new double[q];
                        for (int b = 0; b < q; b++)
                        {
                            final ScalarArtifacts.Bid bid = spec.bids().get(b);
                            if (bid.modelOrdinal() < 0)
                            {
                                expected[b] = bid.defaultScalar();
                                defaults++;
                                continue;
                            }
                            final TreeEnsemble model = spec.models().get(bid.modelOrdinal());
                            model.predictRaw(row, margins);
                            final double s = margins[bid.modelOutput()];
                            expected[b] = reference(section, b, s);
                            defaults += s != s ? 1 : 0;
                        }
                        assertEquals(defaults, decider.scalarsForFeatures(row, out, context), "seed " + seed);
                        for (int b = 0; b < q; b++)
                        {
                            assertEquals(Double.doubleToLongBits(expected[b]), Double.doubleToLongBits(out[b]),
                                "seed " + seed + " bid " + b);
                        }
                        expectedDefaults += defaults;
                        assertEquals(expectedDefaults, decider.defaultsServed(), "seed " + seed);
                    }
                }
                finally
                {
                    artifact.close();
                }
            }
            catch (final Exception ex)
            {
                throw new AssertionError("seed " + seed, ex);
            }
        });
    }

    /** A row probing the edges of whichever model is widest (every model reads a prefix of it). */
    private static double[] row(final Random random, final ScalarArtifacts.Spec spec, final int width)
    {
        TreeEnsemble widest = spec.models().get(0);
        for (final TreeEnsemble model : spec.models())
        {
            widest = model.featureCount() > widest.featureCount() ? model : widest;
        }
        final double[] row = new double[width];
        final double[] probe = RandomEnsembles.rows(random, widest, 1)[0];
        System.arraycopy(probe, 0, row, 0, Math.min(width, probe.length));
        return row;
    }
}
