package io.decide.tools.gbdt.lightgbm;

import io.decide.tools.gbdt.ModelImportException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of a LightGBM text model, as LightGBM's {@code GBDT::SaveModelToString} writes them, split into
 * fields that remember their line numbers; no field is interpreted here.
 * <pre>
 *   tree                                   first non-blank line
 *   version=v4                             header: key=value lines, or bare flags ("average_output")
 *   ...
 *   Tree=0                                 one block per tree, numbered from 0 in order
 *   num_leaves=3
 *   ...
 *   end of trees
 *   feature_importances: ...               ignored
 *   parameters:                            optional: "[key: value]" lines
 *   [boosting: gbdt]
 *   end of parameters
 *   pandas_categorical:null                ignored
 * </pre>
 */
final class LightGbmModelText
{
    private static final String TREE_PREFIX = "Tree=";
    private static final String END_OF_TREES = "end of trees";
    private static final String FEATURE_IMPORTANCES = "feature_importances:";
    private static final String PARAMETERS = "parameters:";
    private static final String END_OF_PARAMETERS = "end of parameters";

    /**
     * One field of a section.
     *
     * @param key   its name.
     * @param value its text after '=' (or ': ' in the parameters), empty for a bare flag.
     * @param line  1-based line number.
     */
    record Field(String key, String value, int line)
    {
    }

    /**
     * The header or one tree.
     *
     * @param line   1-based line number of its first line ("tree" or "Tree=N").
     * @param fields its fields by name, in file order.
     */
    record Block(int line, Map<String, Field> fields)
    {
        /**
         * @param key field name.
         * @return the field, or null when absent.
         */
        Field get(final String key)
        {
            return fields.get(key);
        }
    }

    private final Block header;
    private final List<Block> trees;
    private final Map<String, Field> parameters;

    private LightGbmModelText(final Block header, final List<Block> trees, final Map<String, Field> parameters)
    {
        this.header = header;
        this.trees = trees;
        this.parameters = parameters;
    }

    /** @return the header block (before the first tree). */
    Block header()
    {
        return header;
    }

    /** @return the tree blocks, in file order (which is index order). */
    List<Block> trees()
    {
        return trees;
    }

    /** @return the training parameters by name; empty when the model has no parameters section. */
    Map<String, Field> parameters()
    {
        return parameters;
    }

    /**
     * Split a model's lines into sections.
     *
     * @param source model name for messages.
     * @param lines  its lines, without line terminators.
     * @return the sections.
     * @throws ModelImportException when the sections are not where LightGBM puts them.
     */
    static LightGbmModelText split(final String source, final List<String> lines)
    {
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank())
        {
            i++;
        }
        if (i == lines.size() || !"tree".equals(lines.get(i).strip()))
        {
            throw new ModelImportException(source, "line " + (i + 1),
                "not a LightGBM text model: expected 'tree' as the first line");
        }
        final Block header = new Block(i + 1, new LinkedHashMap<>());
        i++;
        Block current = header;
        final List<Block> trees = new ArrayList<>();
        boolean ended = false;
        for (; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            final int lineNo = i + 1;
            if (line.isEmpty())
            {
                continue;
            }
            if (END_OF_TREES.equals(line))
            {
                ended = true;
                i++;
                break;
            }
            if (FEATURE_IMPORTANCES.equals(line) || PARAMETERS.equals(line))
            {
                throw new ModelImportException(source, "line " + lineNo,
                    "truncated trees: '" + line + "' before an '" + END_OF_TREES + "' line");
            }
            if (line.startsWith(TREE_PREFIX))
            {
                final String index = line.substring(TREE_PREFIX.length());
                if (!index.equals(Integer.toString(trees.size())))
                {
                    throw new ModelImportException(source, "line " + lineNo,
                        "expected Tree=" + trees.size() + " (trees are numbered in order from 0), found '" + line +
                    "'");
                }
                current = new Block(lineNo, new LinkedHashMap<>());
                trees.add(current);
                continue;
            }
            final int eq = line.indexOf('=');
            if (eq < 0 && current != header)
            {
                throw new ModelImportException(source, "line " + lineNo + " (tree " + (trees.size() - 1) + ")",
                    "expected key=value, found '" + line + "'");
            }
            final String key = eq < 0 ? line : line.substring(0, eq);
            final String value = eq < 0 ? "" : line.substring(eq + 1);
            final Field previous = current.fields().put(key, new Field(key, value, lineNo));
            if (previous != null)
            {
                throw new ModelImportException(source, "line " + lineNo,
                    "'" + key + "' repeats line " + previous.line());
            }
        }
        if (!ended)
        {
            throw new ModelImportException(source, "line " + lines.size(),
                "truncated model: no '" + END_OF_TREES + "' line");
        }
        return new LightGbmModelText(header, Collections.unmodifiableList(trees), parameters(source, lines, i));
    }

    private static Map<String, Field> parameters(final String source, final List<String> lines, final int from)
    {
        final Map<String, Field> parameters = new LinkedHashMap<>();
        int i = from;
        while (i < lines.size() && !PARAMETERS.equals(lines.get(i).strip()))
        {
            i++;
        }
        if (i == lines.size())
        {
            return parameters;
        }
        for (i++; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            final int lineNo = i + 1;
            if (END_OF_PARAMETERS.equals(line))
            {
                return parameters;
            }
            if (line.isEmpty())
            {
                continue;
            }
            final int colon = line.indexOf(": ");
            if (!line.startsWith("[") || !line.endsWith("]") || colon < 0)
            {
                throw new ModelImportException(source, "line " + lineNo + " (parameters)",
                    "expected [key: value], found '" + line + "'");
            }
            final String key = line.substring(1, colon);
            parameters.put(key, new Field(key, line.substring(colon + 2, line.length() - 1), lineNo));
        }
        throw new ModelImportException(source, "line " + lines.size(),
            "truncated model: no '" + END_OF_PARAMETERS + "' line after '" + PARAMETERS + "'");
    }
}
