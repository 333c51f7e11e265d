package io.decide.tools.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import io.decide.format.ArtifactLayout;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionReader;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.schema.FeatureSchema;
import io.decide.format.schema.MissingValue;
import io.decide.format.vectors.Tolerance;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.decide.format.vectors.VerificationVectorsDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Everything {@code decide inspect} shows about a validated artifact, as plain records: rendered as text for
 * people ({@link #toText()}) or as JSON with the record component names as keys ({@link #toJson()}). Absent
 * parts (no FEATURE_SCHEMA, no METADATA, no signature) are null.
 *
 * @param file                the file inspected.
 * @param header              header fields.
 * @param sections            the section table.
 * @param features            FEATURE_SCHEMA features, or null.
 * @param metadata            METADATA as a JSON tree, or null.
 * @param verificationVectors groups of every VERIFICATION_VECTORS section, or null when there is none.
 * @param ensembles           every GBDT_ENSEMBLE section summarised, or null when there is none.
 * @param signature           the signature, or null when unsigned.
 */
public record ArtifactReport(
    String file,
    Header header,
    List<Section> sections,
    List<Feature> features,
    JsonNode metadata,
    List<VectorGroup> verificationVectors,
    List<Ensemble> ensembles,
    Signature signature)
{
    /**
     * A GBDT_ENSEMBLE section: shape, semantics and which features its splits use.
     *
     * @param section             section label.
     * @param trees               number of trees.
     * @param outputs             number of output groups.
     * @param features            input width.
     * @param nodes               nodes in all trees.
     * @param leaves              leaves in all trees.
     * @param maxDepth            deepest tree.
     * @param treesByDepth        number of trees per depth, index = depth.
     * @param precision           FLOAT32 or FLOAT64.
     * @param comparison          LESS_THAN or LESS_EQUAL.
     * @param categoricalRule     library rule for categorical splits.
     * @param transform           output transform.
     * @param sigmoidScale        sigmoid scale.
     * @param baseScores          base score per output.
     * @param baseScoreAfterTrees whether base scores are added after the trees.
     * @param averageDivisor      divisor of the tree sum, 0 for none.
     * @param categoricalSplits   number of categorical splits.
     * @param featuresUsed        features with at least one split, most-used first.
     */
    public record Ensemble(String section, int trees, int outputs, int features, long nodes, long leaves, int maxDepth,
        List<Integer> treesByDepth, String precision, String comparison, String categoricalRule, String transform,
        double sigmoidScale, List<Double> baseScores, boolean baseScoreAfterTrees, int averageDivisor,
        long categoricalSplits, List<FeatureUse> featuresUsed)
    {
    }

    /**
     * How a model uses one feature.
     *
     * @param index     feature index.
     * @param name      its name from FEATURE_SCHEMA, or f&lt;index&gt;.
     * @param splits    number of splits on it.
     * @param monotone  declared direction: 1, -1 or 0.
     */
    public record FeatureUse(int index, String name, long splits, int monotone)
    {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Header fields.
     *
     * @param name          artifact name.
     * @param version       artifact version.
     * @param created       creation time, ISO-8601 UTC.
     * @param createdMillis creation time, epoch milliseconds.
     * @param formatMajor   format major version.
     * @param formatMinor   format minor version.
     * @param fileLength    file length in bytes.
     * @param fileCrc32c    whole-file CRC32C, {@code 0x%08x}.
     */
    public record Header(
        String name, long version, String created, long createdMillis, int formatMajor, int formatMinor,
        long fileLength, String fileCrc32c)
    {
    }

    /**
     * One section table entry.
     *
     * @param index         table index.
     * @param type          type name ({@code UNKNOWN(id)} for types this build does not know).
     * @param typeId        type id.
     * @param layoutVersion the section's layout version.
     * @param offset        file offset.
     * @param length        length in bytes.
     * @param crc32c        stored CRC32C, {@code 0x%08x}.
     */
    public record Section(int index, String type, int typeId, int layoutVersion, int offset, int length,
        String crc32c)
    {
    }

    /**
     * One feature of the FEATURE_SCHEMA.
     *
     * @param index    feature index.
     * @param name     feature name.
     * @param type     value type.
     * @param missing  missing-value convention.
     * @param sentinel the sentinel when {@code missing} is SENTINEL, else null.
     */
    public record Feature(int index, String name, String type, String missing, Double sentinel)
    {
    }

    /**
     * One group of verification vectors.
     *
     * @param section        the VERIFICATION_VECTORS section holding it ("VERIFICATION_VECTORS #0").
     * @param group          group index within that section.
     * @param target         the section it exercises ("GBDT_ENSEMBLE #0").
     * @param mode           evaluator output selector.
     * @param inputWidth     values per input.
     * @param outputWidth    values per output.
     * @param vectors        number of vectors.
     * @param tolerance      comparison kind.
     * @param toleranceValue bound for that kind.
     */
    public record VectorGroup(String section, int group, String target, int mode, int inputWidth, int outputWidth,
        int vectors, String tolerance, double toleranceValue)
    {
    }

    /**
     * The signature.
     *
     * @param algorithm signature algorithm.
     * @param keyId     SHA-256 of the signer's public key, hex.
     * @param verified  whether it was verified against a trusted key.
     * @param status    a sentence saying so.
     */
    public record Signature(String algorithm, String keyId, boolean verified, String status)
    {
    }

    /**
     * Describe a validated artifact.
     *
     * @param file       the artifact, validated.
     * @param keysGiven  whether trusted keys were configured (so an unverified signature reads as "not checked").
     * @return the report.
     */
    public static ArtifactReport of(final ArtifactFile file, final boolean keysGiven)
    {
        final ArtifactLayout layout = file.layout();
        final DirectBuffer buffer = file.buffer();
        final Header header = new Header(layout.name(), layout.version(),
            Instant.ofEpochMilli(layout.createdMillis()).toString(), layout.createdMillis(), layout.major(),
            layout.minor(), layout.fileLength(), crc(layout.fileCrc()));

        final List<Section> sections = new ArrayList<>();
        for (int i = 0; i < layout.sectionCount(); i++)
        {
            sections.add(new Section(i, SectionType.name(layout.sectionType(i)), layout.sectionType(i),
                layout.sectionVersion(i), layout.sectionOffset(i), layout.sectionLength(i), crc(layout.sectionCrc(i))));
        }

        List<Feature> features = null;
        final int schemaIndex = layout.indexOf(SectionType.FEATURE_SCHEMA, 0);
        if (schemaIndex >= 0)
        {
            final FeatureSchema schema = FeatureSchema.read(buffer, layout.sectionOffset(schemaIndex));
            features = new ArrayList<>();
            for (int i = 0; i < schema.size(); i++)
            {
                features.add(new Feature(i, schema.name(i), schema.type(i).name(), schema.missing(i).name(),
                    schema.missing(i) == MissingValue.SENTINEL ? schema.sentinel(i) : null));
            }
        }

        JsonNode metadata = null;
        final int metadataIndex = layout.indexOf(SectionType.METADATA, 0);
        if (metadataIndex >= 0)
        {
            final String text = new String(file.sectionBytes(metadataIndex), StandardCharsets.UTF_8);
            try
            {
                metadata = JSON.readTree(text);
            }
            catch (final JsonProcessingException ex)
            {
                metadata = new TextNode(text);
            }
        }

        final List<VectorGroup> groups = layout.count(SectionType.VERIFICATION_VECTORS) == 0 ? null :
            vectorGroups(buffer, layout);

        List<Ensemble> ensembles = null;
        for (int i = 0; i < layout.sectionCount(); i++)
        {
            if (layout.sectionType(i) == SectionType.GBDT_ENSEMBLE)
            {
                if (ensembles == null)
                {
                    ensembles = new ArrayList<>();
                }
                ensembles.add(ensemble(layout.label(i), GbdtSectionReader.read(buffer, layout.sectionOffset(i),
                    layout.sectionLength(i)), features));
            }
        }

        Signature signature = null;
        final String keyId = KeyIds.ofArtifact(buffer, layout);
        if (keyId != null)
        {
            signature = new Signature("Ed25519", keyId, layout.signatureVerified(), layout.signatureVerified() ?
                "verified with a trusted public key" :
                (keysGiven ? "not verified" : "not verified (no --public-key given)"));
        }
        return new ArtifactReport(file.path().toString(), header, List.copyOf(sections),
            features == null ? null : List.copyOf(features), metadata, groups,
            ensembles == null ? null : List.copyOf(ensembles), signature);
    }

    private static Ensemble ensemble(final String label, final TreeEnsemble model, final List<Feature> features)
    {
        final long[] splits = new long[model.featureCount()];
        final List<Integer> byDepth = new ArrayList<>();
        long nodes = 0;
        long leaves = 0;
        long categorical = 0;
        for (final Tree tree : model.trees())
        {
            while (byDepth.size() <= tree.depth())
            {
                byDepth.add(0);
            }
            byDepth.set(tree.depth(), byDepth.get(tree.depth()) + 1);
            nodes += tree.nodeCount();
            for (int n = 0; n < tree.nodeCount(); n++)
            {
                if (tree.isLeaf(n))
                {
                    leaves++;
                }
                else
                {
                    splits[tree.feature(n)]++;
                    categorical += tree.categories(n) != null ? 1 : 0;
                }
            }
        }
        final int[] monotone = model.monotone();
        final List<FeatureUse> used = new ArrayList<>();
        for (int f = 0; f < splits.length; f++)
        {
            if (splits[f] > 0)
            {
                final String name = features != null && f < features.size() ? features.get(f).name() : "f" + f;
                used.add(new FeatureUse(f, name, splits[f], monotone[f]));
            }
        }
        used.sort((a, b) -> Long.compare(b.splits(), a.splits()));
        final List<Double> base = new ArrayList<>();
        for (final double b : model.baseScores())
        {
            base.add(b);
        }
        return new Ensemble(label, model.trees().length, model.outputCount(), model.featureCount(), nodes, leaves,
            model.maxDepth(), List.copyOf(byDepth), model.precision().name(), model.comparison().name(),
            model.categoricalRule().name(), model.transform().name(), model.sigmoidScale(), List.copyOf(base),
            model.baseScoreAfterTrees(), model.averageDivisor(), categorical, List.copyOf(used));
    }

    private static List<VectorGroup> vectorGroups(final DirectBuffer buffer, final ArtifactLayout layout)
    {
        final List<VectorGroup> groups = new ArrayList<>();
        for (int s = 0; s < layout.sectionCount(); s++)
        {
            if (layout.sectionType(s) != SectionType.VERIFICATION_VECTORS)
            {
                continue;
            }
            final int base = layout.sectionOffset(s);
            final int count = buffer.getInt(base + GROUP_COUNT_OFFSET, LITTLE_ENDIAN);
            int at = base + GROUPS_OFFSET;
            for (int g = 0; g < count; g++)
            {
                final int targetType = buffer.getShort(at + TARGET_TYPE_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
                final int targetOrdinal = buffer.getShort(at + TARGET_ORDINAL_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
                final int inputWidth = buffer.getInt(at + INPUT_WIDTH_OFFSET, LITTLE_ENDIAN);
                final int outputWidth = buffer.getInt(at + OUTPUT_WIDTH_OFFSET, LITTLE_ENDIAN);
                final int vectors = buffer.getInt(at + VECTOR_COUNT_OFFSET, LITTLE_ENDIAN);
                final Tolerance kind = Tolerance.fromCode(buffer.getByte(at + TOLERANCE_KIND_OFFSET) & 0xFF);
                groups.add(new VectorGroup(layout.label(s), g, SectionType.name(targetType) + " #" + targetOrdinal,
                    buffer.getInt(at + MODE_OFFSET, LITTLE_ENDIAN), inputWidth, outputWidth, vectors, kind.name(),
                    buffer.getDouble(at + TOLERANCE_OFFSET, LITTLE_ENDIAN)));
                at += (int)groupLength(inputWidth, outputWidth, vectors);
            }
        }
        return List.copyOf(groups);
    }

    /** @return the report as pretty-printed JSON. */
    public String toJson()
    {
        try
        {
            return JSON.writeValueAsString(JSON.valueToTree(this));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot render the report as JSON", ex);
        }
    }

    /** @return the report as aligned text for a terminal. */
    public String toText()
    {
        final StringBuilder sb = new StringBuilder(4096);
        line(sb, "file", file);
        line(sb, "artifact", header.name() + " v" + header.version());
        line(sb, "created", header.created() + " (" + header.createdMillis() + " ms since the epoch)");
        line(sb, "format", header.formatMajor() + "." + header.formatMinor());
        line(sb, "length", header.fileLength() + " bytes");
        line(sb, "file CRC32C", header.fileCrc32c());

        sb.append("\nsections (").append(sections.size()).append(")\n");
        final int typeWidth = Math.max(4, sections.stream().mapToInt(s -> s.type().length()).max().orElse(0));
        sb.append(String.format(Locale.ROOT, "  %5s  %-" + typeWidth + "s  %7s  %10s  %10s  %s\n",
            "index", "type", "version", "offset", "length", "CRC32C"));
        for (final Section s : sections)
        {
            sb.append(String.format(Locale.ROOT, "  %5d  %-" + typeWidth + "s  %7d  %10d  %10d  %s\n",
                s.index(), s.type(), s.layoutVersion(), s.offset(), s.length(), s.crc32c()));
        }

        if (features != null)
        {
            sb.append("\nfeatures (").append(features.size()).append(")\n");
            final int nameWidth = Math.max(4, features.stream().mapToInt(f -> f.name().length()).max().orElse(0));
            sb.append(String.format(Locale.ROOT, "  %5s  %-" + nameWidth + "s  %-11s  %-11s  %s\n",
                "index", "name", "type", "missing", "sentinel"));
            for (final Feature f : features)
            {
                sb.append(String.format(Locale.ROOT, "  %5d  %-" + nameWidth + "s  %-11s  %-11s  %s\n",
                    f.index(), f.name(), f.type(), f.missing(), f.sentinel() == null ? "-" : f.sentinel().toString()));
            }
        }

        if (metadata != null)
        {
            sb.append("\nmetadata\n");
            final String pretty = metadata.isTextual() ? metadata.asText() : metadata.toPrettyString();
            for (final String l : pretty.split("\n", -1))
            {
                sb.append("  ").append(l).append('\n');
            }
        }

        if (verificationVectors != null)
        {
            sb.append("\nverification vectors (").append(verificationVectors.size())
                .append(verificationVectors.size() == 1 ? " group)\n" : " groups)\n");
            for (final VectorGroup g : verificationVectors)
            {
                sb.append("  ").append(g.section()).append(" group ").append(g.group())
                    .append(": target ").append(g.target())
                    .append(", mode ").append(g.mode())
                    .append(", widths ").append(g.inputWidth()).append(" in / ").append(g.outputWidth()).append(" out")
                    .append(", ").append(g.vectors()).append(g.vectors() == 1 ? " vector" : " vectors")
                    .append(", tolerance ").append(g.tolerance()).append(' ').append(g.toleranceValue())
                    .append('\n');
            }
        }

        if (ensembles != null)
        {
            for (final Ensemble e : ensembles)
            {
                sb.append('\n').append(e.section()).append('\n');
                sb.append("  trees        ").append(e.trees()).append(" (").append(e.nodes()).append(" nodes, ")
                    .append(e.leaves()).append(" leaves), max depth ").append(e.maxDepth()).append('\n');
                final StringBuilder depths = new StringBuilder();
                for (int d = 0; d < e.treesByDepth().size(); d++)
                {
                    if (e.treesByDepth().get(d) > 0)
                    {
                        depths.append(depths.length() == 0 ? "" : ", ").append(d).append(": ")
                            .append(e.treesByDepth().get(d));
                    }
                }
                sb.append("  by depth     ").append(depths).append('\n');
                sb.append("  outputs      ").append(e.outputs()).append(", transform ").append(e.transform())
                    .append(e.transform().equals("SIGMOID") ? " (scale " + e.sigmoidScale() + ")" : "")
                    .append(", base scores ").append(e.baseScores())
                    .append(e.baseScoreAfterTrees() ? " (after trees)" : "")
                    .append(e.averageDivisor() > 0 ? ", averaged over " + e.averageDivisor() : "").append('\n');
                sb.append("  semantics    ").append(e.precision()).append(", ").append(e.comparison())
                    .append(e.categoricalSplits() > 0 ? ", " + e.categoricalSplits() + " categorical splits (" +
                        e.categoricalRule() + " rule)" : "").append('\n');
                sb.append("  features     ").append(e.featuresUsed().size()).append(" of ").append(e.features())
                    .append(" used\n");
                for (final FeatureUse u : e.featuresUsed())
                {
                    sb.append(String.format(Locale.ROOT, "    %5d  %-24s %8d splits%s\n", u.index(), u.name(),
                        u.splits(), u.monotone() == 0 ? "" : u.monotone() > 0 ? "  monotone +" : "  monotone -"));
                }
            }
        }

        sb.append("\nsignature\n");
        if (signature == null)
        {
            sb.append("  none (unsigned)\n");
        }
        else
        {
            sb.append("  algorithm  ").append(signature.algorithm()).append('\n');
            sb.append("  key id     ").append(signature.keyId()).append('\n');
            sb.append("  status     ").append(signature.status()).append('\n');
        }
        return sb.toString();
    }

    private static void line(final StringBuilder sb, final String key, final String value)
    {
        sb.append(String.format(Locale.ROOT, "%-12s %s\n", key, value));
    }

    private static String crc(final int crc)
    {
        return String.format(Locale.ROOT, "0x%08x", crc);
    }
}
