package io.decide.tools.gbdt.onnx;

import io.decide.tools.gbdt.CompiledEngine;
import io.decide.tools.gbdt.onnx.OnnxFidelity.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test: every {@link OnnxFixtures} model, imported, predicts what ONNX Runtime 1.22 outputs on
 * {@link OnnxFixtures#ROWS} adversarial rows (NaN, ±0, ±inf, subnormals, thresholds and their float neighbours):
 * bit-identical margins, transformed outputs within the tolerance {@link OnnxFidelity} states.
 */
class OnnxTreeImporterFidelityTest
{
    static Stream<String> fixtures()
    {
        return OnnxFixtures.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void importPredictsWhatOnnxRuntimeOutputs(final String name)
    {
        final Fixture fixture = OnnxFixtures.all().get(name).get();
        final OnnxFidelity.Report report = OnnxFidelity.assertMatchesOrt(fixture, OnnxFidelity.reference(fixture));
        System.out.println(name + ": " + fixture.ensemble().trees().length + " trees, " +
            fixture.ensemble().transform() + ", " + fixture.ensemble().comparison() + ": " + report);
        assertTrue(report.values() >= (long)OnnxFixtures.ROWS * fixture.ensemble().transformedCount());
        final CompiledEngine engine = CompiledEngine.of(fixture.ensemble());
        final OnnxFidelity.Report engineReport = OnnxFidelity.assertMatchesOrt(fixture, engine::predict);
        assertEquals(report.toString(), engineReport.toString(), "the engine's differences from ORT are the reference's");
    }
}
