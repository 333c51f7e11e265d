package io.decide.sidecar.dispatch;

import io.decide.engine.log.DecisionLog;
import io.decide.engine.service.DecisionKind;

import java.util.List;

/** The handlers the sidecar serves. */
public final class DecisionHandlers
{
    private DecisionHandlers()
    {
    }

    /**
     * The built-in handlers, one per decision kind the engine answers today. To serve a new kind, add its handler
     * here.
     *
     * @return the handlers.
     */
    public static List<DecisionHandler> builtIn()
    {
        return builtIn(null);
    }

    /**
     * The built-in handlers, ad-slot decisions written to a decision log.
     *
     * @param log where ad-slot decisions are logged, or null for none.
     * @return the handlers.
     */
    public static List<DecisionHandler> builtIn(final DecisionLog log)
    {
        return List.of(new GbdtPredictHandler(), new QuotaHandler(), new RankHandler(), new ScalarHandler(),
            new AdSlotHandler(log));
    }

    /**
     * Index handlers by kind id.
     *
     * @param handlers handlers, at most one per kind.
     * @return an array indexed by {@link DecisionKind#id()}.
     */
    static DecisionHandler[] byId(final List<DecisionHandler> handlers)
    {
        final DecisionHandler[] byId = new DecisionHandler[DecisionKind.ID_LIMIT];
        for (final DecisionHandler handler : handlers)
        {
            if (byId[handler.kind().id()] != null)
            {
                throw new IllegalArgumentException("two handlers for " + handler.kind());
            }
            byId[handler.kind().id()] = handler;
        }
        return byId;
    }
}
