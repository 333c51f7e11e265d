package io.decide.tools.gbdt.onnx;

import io.decide.tools.gbdt.onnx.OnnxFidelity.Fixture;
import io.decide.tools.gbdt.onnx.RandomTreeModels.Shape;
import io.decide.tools.gbdt.onnx.RandomTreeModels.Weights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fidelity fixtures: random ONNX tree models covering every supported feature, each with
 * {@link #ROWS} adversarial rows and ONNX Runtime's outputs on them. Built on demand (one at a time keeps the
 * heap small); {@link #all()} lists them so other checks (e.g. the engine's fast evaluator) can reuse exactly the
 * same data through {@link OnnxFidelity#assertMatchesOrt}.
 */
final class OnnxFixtures
{
    /** Rows per model. */
    static final int ROWS = 100_000;

    private static final String[] LEQ = {"BRANCH_LEQ"};
    private static final String[] ALL_MODES = {"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"};
    private static final String[] LT_MAJORITY = {"BRANCH_LT", "BRANCH_LT", "BRANCH_GTE", "BRANCH_LEQ"};
    private static final String[] GREATER = {"BRANCH_GT", "BRANCH_GTE"};

    private OnnxFixtures()
    {
    }

    /** @return every fixture by name, built when its supplier is called. */
    static Map<String, Supplier<Fixture>> all()
    {
        final Map<String, Supplier<Fixture>> all = new LinkedHashMap<>();
        all.put("regressor-leq-sum", () -> build("regressor-leq-sum", 11,
            new Shape(6, 40, 3, 8, LEQ, 0.3, 0.05, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.regressor(1, 6).baseValues(0.5f)));
        all.put("regressor-mixed-modes-average", () -> build("regressor-mixed-modes-average", 12,
            new Shape(5, 30, 3, 8, ALL_MODES, 0.5, 0.15, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.regressor(1, 5).aggregate("AVERAGE").baseValues(-3.25)));
        all.put("regressor-3-targets-average", () -> build("regressor-3-targets-average", 13,
            new Shape(6, 25, 3, 8, ALL_MODES, 0.4, 0.05, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.regressor(3, 6).aggregate("AVERAGE").baseValues(1, -2, 0.1f)));
        all.put("regressor-3-targets-logistic", () -> build("regressor-3-targets-logistic", 14,
            new Shape(6, 36, 3, 7, LT_MAJORITY, 0.3, 0.05, Weights.ONE_OUTPUT_PER_TREE, false, false),
            OnnxTreeModel.regressor(3, 6).postTransform("LOGISTIC").baseValues(0.25f, -0.5f, 0)));
        all.put("regressor-4-targets-softmax", () -> build("regressor-4-targets-softmax", 15,
            new Shape(6, 20, 3, 8, ALL_MODES, 0.5, 0.05, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.regressor(4, 6).postTransform("SOFTMAX")));
        all.put("classifier-4-softmax", () -> build("classifier-4-softmax", 16,
            new Shape(6, 40, 3, 6, LT_MAJORITY, 0.3, 0.05, Weights.ONE_OUTPUT_PER_TREE, false, false),
            OnnxTreeModel.classifier(4, 6).postTransform("SOFTMAX").baseValues(0.1f, 0.2f, -0.3f, 0)));
        all.put("classifier-3-logistic", () -> build("classifier-3-logistic", 17,
            new Shape(5, 24, 3, 8, ALL_MODES, 0.5, 0.1, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.classifier(3, 5).postTransform("LOGISTIC")));
        all.put("classifier-binary-logistic", () -> build("classifier-binary-logistic", 18,
            new Shape(6, 40, 3, 8, LT_MAJORITY, 0.4, 0.05, Weights.FIRST_OUTPUT, false, false),
            OnnxTreeModel.classifier(2, 6).postTransform("LOGISTIC").baseValues(-0.75f)));
        all.put("classifier-binary-softmax-one-column", () -> build("classifier-binary-softmax-one-column", 19,
            new Shape(6, 20, 3, 8, ALL_MODES, 0.4, 0.05, Weights.FIRST_OUTPUT, false, false),
            OnnxTreeModel.classifier(2, 6).postTransform("SOFTMAX")));
        all.put("classifier-binary-probabilities", () -> build("classifier-binary-probabilities", 20,
            new Shape(6, 30, 3, 8, LEQ, 0.3, 0.05, Weights.FIRST_OUTPUT, true, false),
            OnnxTreeModel.classifier(2, 6).postTransform("LOGISTIC").baseValues(0.0625f)));
        all.put("classifier-binary-two-columns", () -> build("classifier-binary-two-columns", 21,
            new Shape(6, 25, 3, 8, ALL_MODES, 0.4, 0.05, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.classifier(2, 6).baseValues(1.5f)));
        all.put("classifier-binary-second-label", () -> build("classifier-binary-second-label", 26,
            new Shape(6, 25, 3, 8, ALL_MODES, 0.4, 0.05, Weights.LAST_OUTPUT, false, false),
            OnnxTreeModel.classifier(2, 6).postTransform("SOFTMAX").baseValues(0.5f)));
        all.put("regressor-3-targets-sparse-leaves", () -> build("regressor-3-targets-sparse-leaves", 27,
            new Shape(6, 30, 3, 8, ALL_MODES, 0.4, 0.05, Weights.RANDOM_SUBSET, false, false),
            OnnxTreeModel.regressor(3, 6).postTransform("LOGISTIC")));
        all.put("regressor-double-input", () -> build("regressor-double-input", 22,
            new Shape(5, 30, 3, 8, ALL_MODES, 0.4, 0.1, Weights.ALL_OUTPUTS, false, true),
            OnnxTreeModel.regressor(2, 5).inputType(OnnxTreeModel.InputType.DOUBLE)
                .encoding(OnnxTreeModel.Encoding.DOUBLE_TENSORS).aggregate("AVERAGE").baseValues(0.1, -1e-9)));
        all.put("regressor-double-input-float-lists", () -> build("regressor-double-input-float-lists", 23,
            new Shape(5, 30, 3, 8, ALL_MODES, 0.4, 0.1, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.regressor(2, 5).inputType(OnnxTreeModel.InputType.DOUBLE).postTransform("SOFTMAX")
                .baseValues(0.3f, -0.7f)));
        all.put("regressor-float-tensors", () -> build("regressor-float-tensors", 24,
            new Shape(5, 30, 3, 8, ALL_MODES, 0.4, 0.1, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.regressor(1, 5).encoding(OnnxTreeModel.Encoding.FLOAT_TENSORS).baseValues(2.5f)));
        all.put("regressor-opset1-greater", () -> build("regressor-opset1-greater", 25,
            new Shape(4, 30, 3, 8, GREATER, 0.5, 0.1, Weights.ALL_OUTPUTS, false, false),
            OnnxTreeModel.regressor(1, 4).mlOpset(1)));
        return all;
    }

    private static Fixture build(final String name, final long seed, final Shape shape, final OnnxTreeModel model)
    {
        final RandomTreeModels random = new RandomTreeModels(seed, shape);
        random.fill(model);
        final double[][] rows = random.rows(ROWS, model.inputType() == OnnxTreeModel.InputType.FLOAT);
        return OnnxFidelity.fixture(name, model, rows);
    }
}
