package io.decide.format.network;

import io.decide.format.ArtifactBytes;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsFlyweight;
import io.decide.format.scalars.CohortScalarsWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static io.decide.format.ArtifactBytes.assertRefused;
import static io.decide.format.ArtifactBytes.patchByte;
import static io.decide.format.ArtifactBytes.patchInt;
import static io.decide.format.ArtifactBytes.sectionOffset;
import static io.decide.format.network.DenseNetworkDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * DENSE_NETWORK: the writer's output reads back field by field, every validator rule refuses a mutated section at
 * the right offset, COHORT_SCALARS can reference a network output, and the golden file of layout version 1 stays
 * readable and byte-identical to what the writer produces (create once with {@code -Ddecide.golden.write=true}).
 */
class DenseNetworkSectionTest
{
    private static final Path GOLDEN = Path.of("src/test/resources/golden/dense-network-v1/network.dpol");
    private static final String LABEL = "DENSE_NETWORK #0";

    /** Input 3; layer 0: 3 -> 2 relu (trunk); layer 1: 2 -> 1 sigmoid; layer 2: 2 -> 3 identity, heads 1 and 2[1,3). */
    static DenseNetworkWriter small()
    {
        final DenseNetworkWriter w = new DenseNetworkWriter(3);
        final int trunk = w.addLayer(SOURCE_INPUT, 2, RELU,
            new float[]{0.5f, -1.0f, 0.25f, 2.0f, -0.75f, 0.125f}, new float[]{0.0625f, -0.5f});
        final int head0 = w.addLayer(trunk, 1, SIGMOID, new float[]{1.5f, -2.5f}, new float[]{0.25f});
        final int head1 = w.addLayer(trunk, 3, IDENTITY,
            new float[]{1, 2, 3, -4, -5, -6}, new float[]{0.5f, 0.75f, -1});
        w.addHead(head0, 0, 1);
        w.addHead(head1, 1, 2);
        return w;
    }

    private static byte[] artifact(final byte[] section)
    {
        return new ArtifactWriter("net", 1).addSection(SectionType.DENSE_NETWORK, VERSION, section).toBytes();
    }

    private static void refused(final byte[] section, final int relative, final String reason)
    {
        final byte[] bytes = artifact(section);
        assertRefused(bytes, LABEL, sectionOffset(bytes, 0) + relative, reason);
    }

    @Test
    void writerOutputReadsBackFieldByField()
    {
        final byte[] bytes = artifact(small().toBytes());
        final ArtifactLayout layout = ArtifactBytes.validate(bytes);
        final DenseNetworkFlyweight n = new DenseNetworkFlyweight()
            .wrap(new UnsafeBuffer(bytes), layout.sectionOffset(layout.indexOf(SectionType.DENSE_NETWORK, 0)));
        assertEquals(3, n.inputSize());
        assertEquals(3, n.layerCount());
        assertEquals(2, n.headCount());
        assertEquals(3, n.outputCount());
        assertEquals(SOURCE_INPUT, n.source(0));
        assertEquals(0, n.source(2));
        assertEquals(3, n.inputWidth(0));
        assertEquals(2, n.outputWidth(0));
        assertEquals(3, n.outputWidth(2));
        assertEquals(RELU, n.activation(0));
        assertEquals(SIGMOID, n.activation(1));
        assertEquals(IDENTITY, n.activation(2));
        assertEquals((int)tablesEnd(3, 2), n.parametersOffset(0));
        assertEquals(n.parametersOffset(0) + (int)parametersLength(3, 2), n.parametersOffset(1));
        assertEquals(-1.0f, n.weight(0, 0, 1));
        assertEquals(0.25f, n.weight(0, 1, 0));
        assertEquals(0.125f, n.weight(0, 2, 1));
        assertEquals(-0.5f, n.bias(0, 1));
        assertEquals(-6f, n.weight(2, 1, 2));
        assertEquals(0.75f, n.bias(2, 1));
        assertEquals(2, n.headLayer(1));
        assertEquals(1, n.headStart(1));
        assertEquals(2, n.headCount(1));
        assertEquals("DENSE_NETWORK", SectionType.name(SectionType.DENSE_NETWORK));
        assertEquals(SectionType.DENSE_NETWORK, SectionType.byName("dense_network"));
    }

    @Test
    void writerRefusesWhatTheValidatorWould()
    {
        assertThrows(IllegalArgumentException.class, () -> new DenseNetworkWriter(0));
        final DenseNetworkWriter w = new DenseNetworkWriter(2);
        assertThrows(IllegalArgumentException.class, () -> w.addLayer(0, 1, RELU, new float[2], new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addLayer(SOURCE_INPUT, 1, 4, new float[2], new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addLayer(SOURCE_INPUT, 1, RELU, new float[3], new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addLayer(SOURCE_INPUT, 1, RELU, new float[2], new float[2]));
        assertThrows(IllegalArgumentException.class,
            () -> w.addLayer(SOURCE_INPUT, 1, RELU, new float[]{0, Float.NaN}, new float[1]));
        assertThrows(IllegalArgumentException.class,
            () -> w.addLayer(SOURCE_INPUT, 1, RELU, new float[2], new float[]{Float.POSITIVE_INFINITY}));
        assertThrows(IllegalStateException.class, w::toBytes);
        final int layer = w.addLayer(SOURCE_INPUT, 2, RELU, new float[4], new float[2]);
        assertThrows(IllegalArgumentException.class, () -> w.addHead(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> w.addHead(layer, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> w.addHead(layer, 0, 0));
        assertThrows(IllegalStateException.class, w::toBytes);
        assertEquals(0, w.addHead(layer, 1, 1));
        assertEquals(1, w.addHead(layer, 0, 2));
        assertEquals(3, w.outputCount());
    }

    @Test
    void validatorRefusesEveryBrokenField()
    {
        final byte[] good = small().toBytes();
        final int p0 = (int)tablesEnd(3, 2);
        final int p1 = p0 + (int)parametersLength(3, 2);
        final int p2 = p1 + (int)parametersLength(2, 1);
        final int heads = headEntryOffset(3, 0);
        refused(java.util.Arrays.copyOf(good, 16), 0, "expected at least 32");
        refused(patchInt(good, INPUT_SIZE_OFFSET, 0), INPUT_SIZE_OFFSET, "input size 0, expected 1..1048576");
        refused(patchInt(good, LAYER_COUNT_OFFSET, 0), LAYER_COUNT_OFFSET, "layer count 0");
        refused(patchInt(good, LAYER_COUNT_OFFSET, MAX_LAYERS + 1), LAYER_COUNT_OFFSET, "layer count 4097");
        refused(patchInt(good, HEAD_COUNT_OFFSET, 0), HEAD_COUNT_OFFSET, "head count 0");
        refused(patchInt(good, OUTPUT_COUNT_OFFSET, 0), OUTPUT_COUNT_OFFSET, "output count 0");
        refused(patchInt(good, OUTPUT_COUNT_OFFSET, 4), OUTPUT_COUNT_OFFSET, "output count 4, but the heads give 3");
        refused(patchInt(good, FLAGS_OFFSET, 1), FLAGS_OFFSET, "flags must be 0");
        refused(patchByte(good, RESERVED64_OFFSET + 7, 1), RESERVED32_OFFSET, "reserved");
        refused(patchInt(good, LAYER_COUNT_OFFSET, 1000), 0, "too short for the tables of 1000 layers");
        refused(patchInt(good, HEAD_COUNT_OFFSET, 3), layerEntryOffset(0) + LAYER_PARAMETERS_OFFSET,
            "layer 0 parameters at " + p0 + ", expected " + (p0 + 16));
        refused(patchInt(good, layerEntryOffset(0) + LAYER_SOURCE_OFFSET, 0), layerEntryOffset(0),
            "layer 0 source 0, expected -1 (the input) or an earlier layer");
        refused(patchInt(good, layerEntryOffset(2) + LAYER_SOURCE_OFFSET, 2), layerEntryOffset(2),
            "layer 2 source 2");
        refused(patchInt(good, layerEntryOffset(2) + LAYER_SOURCE_OFFSET, SOURCE_INPUT),
            layerEntryOffset(2) + LAYER_INPUT_WIDTH_OFFSET, "layer 2 input width 2, expected 3 (the width of the input)");
        refused(patchInt(good, layerEntryOffset(1) + LAYER_INPUT_WIDTH_OFFSET, 3),
            layerEntryOffset(1) + LAYER_INPUT_WIDTH_OFFSET, "expected 2 (the width of layer 0)");
        refused(patchInt(good, layerEntryOffset(1) + LAYER_OUTPUT_WIDTH_OFFSET, 0),
            layerEntryOffset(1) + LAYER_OUTPUT_WIDTH_OFFSET, "layer 1 output width 0");
        refused(patchInt(good, layerEntryOffset(2) + LAYER_OUTPUT_WIDTH_OFFSET, 4),
            layerEntryOffset(2) + LAYER_OUTPUT_WIDTH_OFFSET, "runs past the section end");
        refused(patchByte(good, layerEntryOffset(1) + LAYER_ACTIVATION_OFFSET, 4),
            layerEntryOffset(1) + LAYER_ACTIVATION_OFFSET, "layer 1 activation 4");
        refused(patchByte(good, layerEntryOffset(1) + LAYER_RESERVED24_OFFSET + 2, 1),
            layerEntryOffset(1) + LAYER_RESERVED24_OFFSET, "reserved");
        refused(patchByte(good, layerEntryOffset(1) + LAYER_RESERVED32_OFFSET, 1),
            layerEntryOffset(1) + LAYER_RESERVED24_OFFSET, "reserved");
        refused(patchInt(good, layerEntryOffset(1) + LAYER_PARAMETERS_OFFSET, p1 + 8),
            layerEntryOffset(1) + LAYER_PARAMETERS_OFFSET, "layer 1 parameters at " + (p1 + 8) + ", expected " + p1);
        refused(patchInt(good, p0 + 4 * 3, Float.floatToRawIntBits(Float.NaN)), p0 + 12,
            "layer 0 weight [1][1] is NaN, expected finite");
        refused(patchInt(good, p2 + 4 * 7, Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)), p2 + 28,
            "layer 2 bias 1 is -Infinity");
        refused(patchByte(good, p1 + 12, 1), p1 + 12, "layer 1 padding must be 0");
        refused(patchInt(good, heads + HEAD_LAYER_OFFSET, 3), heads + HEAD_LAYER_OFFSET,
            "head 0 reads layer 3, expected 0..2");
        refused(patchInt(good, heads + HEAD_ENTRY_LENGTH + HEAD_START_OFFSET, 2),
            heads + HEAD_ENTRY_LENGTH + HEAD_START_OFFSET, "head 1 takes units [2, 4) of layer 2, which has 3");
        refused(patchInt(good, heads + HEAD_COUNT_FIELD_OFFSET, 0), heads + HEAD_START_OFFSET,
            "head 0 takes units [0, 0)");
        refused(patchInt(good, heads + HEAD_RESERVED_OFFSET, 9), heads + HEAD_RESERVED_OFFSET, "reserved");
        final byte[] longer = java.util.Arrays.copyOf(good, good.length + 8);
        refused(longer, good.length, "section is " + longer.length + " bytes, the last layer ends at " + good.length);
    }

    @Test
    void cohortScalarsReferenceANetworkOutput()
    {
        final byte[] scalars = new CohortScalarsWriter()
            .addBid(5, CohortScalarsDescriptor.INCREASING, CohortScalarsDescriptor.METHOD_MANUAL, 0, 1, 0.5,
                new double[]{0.5}, new double[]{0.25, 0.75}, CohortScalarsDescriptor.MODEL_NETWORK, 0, 2)
            .toBytes();
        final byte[] ok = new ArtifactWriter("s", 1)
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, scalars)
            .addSection(SectionType.DENSE_NETWORK, VERSION, small().toBytes()).toBytes();
        final ArtifactLayout layout = ArtifactBytes.validate(ok);
        final CohortScalarsFlyweight s = new CohortScalarsFlyweight().wrap(new UnsafeBuffer(ok), sectionOffset(ok, 0));
        assertEquals(CohortScalarsDescriptor.MODEL_NETWORK, s.modelKind());
        assertEquals(0, s.modelOrdinal());
        assertEquals(2, s.modelOutput());
        assertEquals(2, layout.sectionCount());

        final int block = CohortScalarsDescriptor.directoryEnd(1);
        final byte[] missing = new ArtifactWriter("s", 1)
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, scalars).toBytes();
        assertRefused(missing, "COHORT_SCALARS #0",
            sectionOffset(missing, 0) + block + CohortScalarsDescriptor.MODEL_ORDINAL_OFFSET,
            "sensitivity model DENSE_NETWORK #0 is not in the artifact (it has 0)");
        final byte[] badOutput = new ArtifactWriter("s", 1)
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION,
                patchInt(scalars, block + CohortScalarsDescriptor.MODEL_OUTPUT_OFFSET, 3))
            .addSection(SectionType.DENSE_NETWORK, VERSION, small().toBytes()).toBytes();
        assertRefused(badOutput, "COHORT_SCALARS #0",
            sectionOffset(badOutput, 0) + block + CohortScalarsDescriptor.MODEL_OUTPUT_OFFSET,
            "model output 3 is not an output of DENSE_NETWORK #0, which has 3");
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter().addBid(1,
            CohortScalarsDescriptor.INCREASING, CohortScalarsDescriptor.METHOD_MANUAL, 0, 1, 0.5, new double[0],
            new double[]{0.5}, CohortScalarsDescriptor.MODEL_NETWORK, CohortScalarsDescriptor.NO_MODEL, 0));
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter().addBid(1,
            CohortScalarsDescriptor.INCREASING, CohortScalarsDescriptor.METHOD_MANUAL, 0, 1, 0.5, new double[0],
            new double[]{0.5}, 2, 0, 0));
    }

    @Test
    void goldenFileValidatesReadsBackAndIsWhatTheWriterStillProduces() throws IOException
    {
        final byte[] expected = new ArtifactWriter("golden.network", 1).createdMillis(1_767_225_600_000L)
            .addSection(SectionType.DENSE_NETWORK, VERSION, small().toBytes())
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, new CohortScalarsWriter()
                .addBid(2, CohortScalarsDescriptor.DECREASING, CohortScalarsDescriptor.METHOD_LP_SORTED, 0.5, 2, 1,
                    new double[]{0.5}, new double[]{1.5, 0.75}, CohortScalarsDescriptor.MODEL_NETWORK, 0, 0)
                .toBytes())
            .toBytes();
        final byte[] golden = ArtifactBytes.golden(GOLDEN, expected);
        final UnsafeBuffer buffer = new UnsafeBuffer(golden);
        final ArtifactLayout layout = new ArtifactValidator().validate(GOLDEN.toString(), buffer, golden.length);
        final DenseNetworkFlyweight n = new DenseNetworkFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.DENSE_NETWORK, 0)));
        assertEquals(3, n.inputSize());
        assertEquals(3, n.outputCount());
        assertEquals(0, n.source(1));
        assertEquals(SIGMOID, n.activation(1));
        assertEquals(2.0f, n.weight(0, 1, 1));
        assertEquals(-1f, n.bias(2, 2));
        assertEquals(1, n.headStart(1));
        final CohortScalarsFlyweight s = new CohortScalarsFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.COHORT_SCALARS, 0)));
        assertEquals(CohortScalarsDescriptor.MODEL_NETWORK, s.modelKind());
        assertArrayEquals(expected, golden, "today's writer no longer produces the golden bytes");
    }
}
