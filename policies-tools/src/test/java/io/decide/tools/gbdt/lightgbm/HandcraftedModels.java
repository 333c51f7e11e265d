package io.decide.tools.gbdt.lightgbm;

/**
 * LightGBM model texts written by hand, in the layout {@code GBDT::SaveModelToString} uses, for edge cases training
 * does not reliably produce and for refusals.
 */
final class HandcraftedModels
{
    private HandcraftedModels()
    {
    }

    /**
     * @param objective   objective line value, or null for none.
     * @param features    feature count.
     * @param extraHeader more header lines, each ending in a newline.
     * @param trees       tree blocks without their "Tree=N" line.
     * @return the model text, with a parameters section.
     */
    static String model(final String objective, final int features, final String extraHeader, final String... trees)
    {
        final StringBuilder text = new StringBuilder("tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\n" +
            "label_index=0\nmax_feature_idx=" + (features - 1) + "\n");
        if (objective != null)
        {
            text.append("objective=").append(objective).append('\n');
        }
        text.append(extraHeader);
        text.append("feature_names=");
        for (int f = 0; f < features; f++)
        {
            text.append(f == 0 ? "" : " ").append("f").append(f);
        }
        text.append("\nfeature_infos=");
        for (int f = 0; f < features; f++)
        {
            text.append(f == 0 ? "" : " ").append("none");
        }
        text.append("\n\n");
        for (int t = 0; t < trees.length; t++)
        {
            text.append("Tree=").append(t).append('\n').append(trees[t]).append("\n\n");
        }
        return text.append("end of trees\n\nfeature_importances:\n\nparameters:\n[boosting: gbdt]\n" +
            "[objective: regression]\nend of parameters\n\npandas_categorical:null\n").toString();
    }

    /**
     * A two-leaf tree splitting numerically.
     *
     * @param feature      split feature.
     * @param threshold    threshold as LightGBM writes it.
     * @param decisionType decision_type.
     * @param left         left leaf value.
     * @param right        right leaf value.
     * @return the tree block.
     */
    static String stump(final int feature, final String threshold, final int decisionType, final double left,
        final double right)
    {
        return "num_leaves=2\nnum_cat=0\nsplit_feature=" + feature + "\nsplit_gain=1\nthreshold=" + threshold +
            "\ndecision_type=" + decisionType + "\nleft_child=-1\nright_child=-2\nleaf_value=" + left + " " + right +
            "\nleaf_weight=1 1\nleaf_count=1 1\ninternal_value=0\ninternal_weight=2\ninternal_count=2\nis_linear=0\n" +
            "shrinkage=1";
    }

    /**
     * A two-leaf tree splitting on a category set.
     *
     * @param feature      split feature.
     * @param decisionType decision_type (bit 0 set).
     * @param words        cat_threshold words of the one set.
     * @param left         left leaf value.
     * @param right        right leaf value.
     * @return the tree block.
     */
    static String categoricalStump(final int feature, final int decisionType, final String words, final double left,
        final double right)
    {
        final int wordCount = words.isBlank() ? 0 : words.strip().split(" ").length;
        return "num_leaves=2\nnum_cat=1\nsplit_feature=" + feature + "\nsplit_gain=1\nthreshold=0\ndecision_type=" +
            decisionType + "\nleft_child=-1\nright_child=-2\nleaf_value=" + left + " " + right +
            "\nleaf_weight=1 1\nleaf_count=1 1\ninternal_value=0\ninternal_weight=2\ninternal_count=2\n" +
            "cat_boundaries=0 " + wordCount + "\ncat_threshold=" + words + "\nis_linear=0\nshrinkage=1";
    }

    /**
     * A three-leaf tree: node 0 splits feature {@code f0} at {@code t0}; its right child, node 1, splits feature
     * {@code f1} at {@code t1} (both NaN missing type, default right).
     *
     * @param f0     root feature.
     * @param t0     root threshold.
     * @param f1     node 1 feature.
     * @param t1     node 1 threshold.
     * @param leaves values of leaves 0 (root left), 1 (node 1 left), 2 (node 1 right).
     * @return the tree block.
     */
    static String threeLeaves(final int f0, final double t0, final int f1, final double t1, final double... leaves)
    {
        return "num_leaves=3\nnum_cat=0\nsplit_feature=" + f0 + " " + f1 + "\nsplit_gain=1 1\nthreshold=" + t0 + " " +
            t1 + "\ndecision_type=8 8\nleft_child=-1 -2\nright_child=1 -3\nleaf_value=" + leaves[0] + " " +
            leaves[1] + " " + leaves[2] + "\nleaf_weight=1 1 1\nleaf_count=1 1 1\ninternal_value=0 0\n" +
            "internal_weight=3 2\ninternal_count=3 2\nis_linear=0\nshrinkage=1";
    }
}
