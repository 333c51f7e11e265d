package io.decide.tools.gbdt;

/**
 * A model file could not be imported: it names the file, where in it (tree, node, field, line) and what was
 * expected or which feature of the library is not supported. Never a silent misprediction.
 */
public final class ModelImportException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String where;

    /**
     * @param source model file or description.
     * @param where  location inside it, e.g. "tree 12 node 3", "line 40", "attribute nodes_modes".
     * @param reason what was wrong or unsupported.
     */
    public ModelImportException(final String source, final String where, final String reason)
    {
        super(source + ": " + where + ": " + reason);
        this.source = source;
        this.where = where;
    }

    /**
     * @param source model file or description.
     * @param where  location inside it.
     * @param reason what was wrong.
     * @param cause  underlying exception.
     */
    public ModelImportException(final String source, final String where, final String reason, final Throwable cause)
    {
        super(source + ": " + where + ": " + reason, cause);
        this.source = source;
        this.where = where;
    }

    /** @return model file or description. */
    public String source()
    {
        return source;
    }

    /** @return location inside the model. */
    public String where()
    {
        return where;
    }
}
