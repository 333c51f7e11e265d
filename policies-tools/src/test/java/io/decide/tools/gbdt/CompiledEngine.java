package io.decide.tools.gbdt;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.format.gbdt.GbdtSectionReader;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine's path for an imported model, for fidelity tests: the ensemble is written as a GBDT_ENSEMBLE
 * section, read back, and compiled by {@link GbdtEvaluator}, so the library's predictions are compared with what
 * a deployed artifact would serve, not only with the importer's in-memory model.
 */
public final class CompiledEngine
{
    private final GbdtEvaluator evaluator;
    private final GbdtContext context;

    private CompiledEngine(final GbdtEvaluator evaluator)
    {
        this.evaluator = evaluator;
        this.context = evaluator.newContext();
    }

    /**
     * @param ensemble an imported model.
     * @return its engine evaluator, through the section writer and reader.
     */
    public static CompiledEngine of(final TreeEnsemble ensemble)
    {
        final byte[] section = GbdtSectionWriter.toBytes(ensemble);
        return new CompiledEngine(new GbdtEvaluator(GbdtSectionReader.read(new UnsafeBuffer(section), 0,
            section.length)));
    }

    /**
     * Raw margins (single-threaded use only: the context is shared).
     *
     * @param row features.
     * @param out margins.
     */
    public void predictRaw(final double[] row, final double[] out)
    {
        evaluator.predictRaw(row, out, context);
    }

    /**
     * Transformed outputs (single-threaded use only).
     *
     * @param row features.
     * @param out outputs.
     */
    public void predict(final double[] row, final double[] out)
    {
        evaluator.predict(row, out, context);
    }
}
