package io.decide.tools.adslot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.adslot.AdSlotPolicyDescriptor;
import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Assembles an ad-slot policy artifact: the GBDT reward models as GBDT_ENSEMBLE sections, the AD_SLOT_POLICY
 * section that references them, and METADATA describing the build. The policy settings are made on
 * {@link #policy()} (an {@link AdSlotPolicyWriter}); models are added with {@link #jointModels} or
 * {@link #perActionModels}, which also set the context width. State features whose canonical name
 * ({@link #STATE_NAMES}) is a model feature name are wired to that slot automatically; {@link #stateSlot}
 * overrides. {@link #toBytes()} validates the whole artifact exactly as the engine will.
 */
public final class AdSlotArtifactBuilder
{
    /** Canonical names of the state features, by id ({@code AdSlotPolicyDescriptor.STATE_*}). */
    public static final List<String> STATE_NAMES = List.of("prev_ad_mask", "posts_since_last_ad",
        "ads_last_3_feeds", "ads_last_5_feeds", "session_ad_impressions", "feed_depth", "idle_seconds");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final long version;
    private final AdSlotPolicyWriter policy = new AdSlotPolicyWriter();
    private final List<TreeEnsemble> models = new ArrayList<>();
    private final int[] explicitSlots = new int[AdSlotPolicyDescriptor.STATE_FEATURE_COUNT];
    private final boolean[] explicit = new boolean[AdSlotPolicyDescriptor.STATE_FEATURE_COUNT];
    private String[] contextNames = new String[0];
    private final ObjectNode provenance = JSON.createObjectNode();

    /**
     * @param name    artifact name.
     * @param version artifact version (it also keys the decision draws).
     */
    public AdSlotArtifactBuilder(final String name, final long version)
    {
        this.name = name;
        this.version = version;
    }

    /** @return the policy section's writer, for the action space, λ, exploration and baselines. */
    public AdSlotPolicyWriter policy()
    {
        return policy;
    }

    /**
     * @param key   provenance key (e.g. "sat").
     * @param value its value (e.g. the model file).
     * @return this.
     */
    public AdSlotArtifactBuilder provenance(final String key, final String value)
    {
        provenance.put(key, value);
        return this;
    }

    /**
     * One SAT and one ADS model taking the context features then the pattern's ad count and mask (so C = feature
     * count − 2).
     *
     * @param sat the SAT model.
     * @param ads the ADS model.
     * @return this.
     */
    public AdSlotArtifactBuilder jointModels(final TreeEnsemble sat, final TreeEnsemble ads)
    {
        if (sat.featureCount() != ads.featureCount())
        {
            throw new IllegalArgumentException("the SAT model takes " + sat.featureCount() + " features and the ADS " +
                "model " + ads.featureCount() + "; joint models take the same context plus ad count and mask");
        }
        if (sat.featureCount() < 3)
        {
            throw new IllegalArgumentException("joint models take the context features plus ad count and mask; " +
                sat.featureCount() + " features leave no context");
        }
        models.clear();
        models.add(sat);
        models.add(ads);
        contextFeatures(sat, sat.featureCount() - 2);
        policy.jointModels(0, 1);
        return this;
    }

    /**
     * One SAT and one ADS model per pattern of the policy (set the action space first), each taking the context.
     *
     * @param sat SAT models in pattern order.
     * @param ads ADS models in pattern order.
     * @return this.
     */
    public AdSlotArtifactBuilder perActionModels(final List<TreeEnsemble> sat, final List<TreeEnsemble> ads)
    {
        final int patterns = policy.patterns().length;
        if (sat.size() != patterns || ads.size() != patterns)
        {
            throw new IllegalArgumentException(sat.size() + " SAT and " + ads.size() + " ADS models for " + patterns +
                " patterns");
        }
        models.clear();
        final int[] satOrdinals = new int[patterns];
        final int[] adsOrdinals = new int[patterns];
        for (int p = 0; p < patterns; p++)
        {
            satOrdinals[p] = 2 * p;
            adsOrdinals[p] = 2 * p + 1;
            models.add(sat.get(p));
            models.add(ads.get(p));
        }
        contextFeatures(sat.get(0), sat.get(0).featureCount());
        policy.perActionModels(satOrdinals, adsOrdinals);
        return this;
    }

    /**
     * The context width of a policy without models (baselines).
     *
     * @param count C.
     * @return this.
     */
    public AdSlotArtifactBuilder contextFeatures(final int count)
    {
        final String[] names = new String[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = "f" + i;
        }
        contextNames = names;
        policy.contextFeatures(count);
        return this;
    }

    /**
     * Wire a state feature to a context index (overrides the automatic wiring by name).
     *
     * @param stateFeature state feature id.
     * @param index        context index, or -1 for none.
     * @return this.
     */
    public AdSlotArtifactBuilder stateSlot(final int stateFeature, final int index)
    {
        explicit[stateFeature] = true;
        explicitSlots[stateFeature] = index;
        return this;
    }

    /**
     * @param name a state feature's canonical name or its id; '-' and '_' are the same, case is ignored.
     * @return its id.
     * @throws IllegalArgumentException naming the known names.
     */
    public static int stateFeature(final String name)
    {
        final String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        final int index = STATE_NAMES.indexOf(key);
        if (index >= 0)
        {
            return index;
        }
        throw new IllegalArgumentException("unknown state feature '" + name + "', expected one of " + STATE_NAMES);
    }

    /** @return the context feature names (the models' first C names, or f0..f(C-1)). */
    public String[] contextNames()
    {
        return contextNames.clone();
    }

    private void contextFeatures(final TreeEnsemble model, final int count)
    {
        final String[] names = model.featureNames();
        contextNames = new String[count];
        for (int i = 0; i < count; i++)
        {
            contextNames[i] = names != null ? names[i] : "f" + i;
        }
        policy.contextFeatures(count);
    }

    /**
     * @return the artifact bytes, validated as the engine validates them.
     * @throws IllegalArgumentException when a setting is out of range (naming it).
     * @throws io.decide.format.ArtifactFormatException when the assembled artifact is refused.
     */
    public byte[] toBytes()
    {
        final ObjectNode slots = JSON.createObjectNode();
        for (int s = 0; s < AdSlotPolicyDescriptor.STATE_FEATURE_COUNT; s++)
        {
            int slot = explicit[s] ? explicitSlots[s] : -1;
            if (!explicit[s])
            {
                for (int i = 0; i < contextNames.length; i++)
                {
                    if (STATE_NAMES.get(s).equalsIgnoreCase(contextNames[i].replace('-', '_')))
                    {
                        slot = i;
                    }
                }
            }
            policy.stateSlot(s, slot);
            if (slot >= 0)
            {
                slots.put(STATE_NAMES.get(s), slot);
            }
        }
        final byte[] section = policy.toBytes();
        final ArtifactWriter writer = new ArtifactWriter(name, version);
        for (final TreeEnsemble model : models)
        {
            writer.addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, GbdtSectionWriter.toBytes(model));
        }
        writer.addSection(SectionType.AD_SLOT_POLICY, AdSlotPolicyDescriptor.VERSION, section);
        final ObjectNode root = JSON.createObjectNode();
        root.put("kind", "ad-slot-policy");
        root.set("provenance", provenance);
        final ArrayNode names = root.putArray("contextFeatures");
        for (final String n : contextNames)
        {
            names.add(n);
        }
        root.set("stateSlots", slots);
        final ArrayNode masks = root.putArray("patterns");
        for (final int mask : policy.patterns())
        {
            masks.add(mask);
        }
        writer.metadata(root.toString());
        final byte[] bytes = writer.toBytes();
        new ArtifactValidator().validate(name + ".dpol", new UnsafeBuffer(bytes), bytes.length);
        return bytes;
    }
}
