package io.decide.engine.service;

/**
 * The kinds of decision the engine answers. The numeric {@link #id()} is shared by every host: the sidecar's wire
 * protocol ({@code docs/PROTOCOL.md}) and the C ABI carry it as is, so ids are stable and never reused.
 */
public enum DecisionKind
{
    /** GBDT prediction: a dense feature row in, the model's transformed outputs out. */
    GBDT_PREDICT(1),
    /** Creative quota (ACQ): option values (or a model row) in, k* out. */
    QUOTA(2),
    /** Ranking with quality scalars: a candidate batch and Q scalars in, the top-K candidate indices out. */
    RANK(3),
    /** Quality-bid scalars of a user (Opus): a user id and/or a sensitivity-model row in, Q scalars out. */
    SCALAR(4),
    /**
     * Ad-slot pattern of a feed fetch: request id, user id, time and context features in; the pattern, its mask, the
     * probability vector and the propensity out (the user's session state is read and updated).
     */
    AD_SLOT(5);

    /** One more than the highest id; arrays indexed by id have this length. */
    public static final int ID_LIMIT = 6;

    private static final DecisionKind[] BY_ID = new DecisionKind[ID_LIMIT];

    static
    {
        for (final DecisionKind kind : values())
        {
            BY_ID[kind.id] = kind;
        }
    }

    private final int id;

    DecisionKind(final int id)
    {
        this.id = id;
    }

    /** @return the stable numeric id used on the wire and in the C ABI. */
    public int id()
    {
        return id;
    }

    /**
     * The kind with an id, without allocating.
     *
     * @param id numeric id.
     * @return the kind, or null when no kind has that id.
     */
    public static DecisionKind fromId(final int id)
    {
        return id > 0 && id < ID_LIMIT ? BY_ID[id] : null;
    }
}
