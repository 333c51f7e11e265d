package io.decide.tools.gbdt;

import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.lightgbm.LightGbmTextImporter;
import io.decide.tools.gbdt.onnx.OnnxTreeImporter;
import io.decide.tools.gbdt.xgboost.XGBoostJsonImporter;

import java.io.IOException;
import java.nio.file.Path;

/** The model files Decide imports, as named on the command line ({@code --format}). */
public enum ModelFormat
{
    /** XGBoost's JSON model ({@code save_model("m.json")}), or a snapshot/config holding it. */
    XGBOOST_JSON("xgboost-json"),
    /** XGBoost's UBJSON model ({@code save_model("m.ubj")}, the default binary format). */
    XGBOOST_UBJ("xgboost-ubj"),
    /** LightGBM's text model ({@code save_model}, {@code model.txt}). */
    LIGHTGBM_TEXT("lightgbm-text"),
    /** An ONNX model whose graph is one ai.onnx.ml TreeEnsembleRegressor or TreeEnsembleClassifier. */
    ONNX("onnx");

    private final String cliName;

    ModelFormat(final String cliName)
    {
        this.cliName = cliName;
    }

    /** @return the name used by {@code --format}. */
    public String cliName()
    {
        return cliName;
    }

    /**
     * @param name a {@code --format} value.
     * @return the format.
     * @throws IllegalArgumentException naming the formats that exist.
     */
    public static ModelFormat byName(final String name)
    {
        final StringBuilder known = new StringBuilder();
        for (final ModelFormat format : values())
        {
            if (format.cliName.equals(name))
            {
                return format;
            }
            known.append(known.length() == 0 ? "" : ", ").append(format.cliName);
        }
        throw new IllegalArgumentException("unknown model format '" + name + "'; expected one of: " + known);
    }

    /**
     * Import a model file.
     *
     * @param file the model.
     * @return the ensemble, with the library's exact semantics.
     * @throws IOException          when the file cannot be read.
     * @throws ModelImportException when it is malformed or uses something Decide cannot represent exactly.
     */
    public TreeEnsemble read(final Path file) throws IOException
    {
        switch (this)
        {
            case XGBOOST_JSON:
            case XGBOOST_UBJ:
                return XGBoostJsonImporter.read(file);
            case LIGHTGBM_TEXT:
                return LightGbmTextImporter.read(file);
            case ONNX:
                return OnnxTreeImporter.read(file);
            default:
                throw new IllegalStateException(name());
        }
    }
}
