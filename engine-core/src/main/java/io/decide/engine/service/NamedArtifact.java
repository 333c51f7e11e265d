package io.decide.engine.service;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicySlot;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/** One artifact name the engine has served: its handle, its registry slot, its newest and last good versions. */
final class NamedArtifact
{
    final int handle;
    final String name;
    final byte[] nameBytes;
    final int nameHash;
    final PolicySlot slot;
    volatile CompiledArtifact latest;
    volatile CompiledArtifact lastGoodGbdt;
    volatile CompiledArtifact lastGoodQuota;
    volatile CompiledArtifact lastGoodScalar;
    volatile CompiledArtifact lastGoodAdSlot;

    NamedArtifact(final int handle, final String name, final PolicySlot slot)
    {
        this.handle = handle;
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
        this.nameHash = hash(nameBytes, 0, nameBytes.length);
        this.slot = slot;
    }

    /** Record a newly serving version (loading thread). */
    synchronized void serving(final CompiledArtifact compiled)
    {
        latest = compiled;
        if (compiled.gbdt != null)
        {
            lastGoodGbdt = compiled;
        }
        if (compiled.quota != null)
        {
            lastGoodQuota = compiled;
        }
        if (compiled.scalar != null)
        {
            lastGoodScalar = compiled;
        }
        if (compiled.adSlot != null)
        {
            lastGoodAdSlot = compiled;
        }
    }

    /**
     * The compiled form of the version a reader sees in the slot. Normally the latest one; in the short window
     * between the registry's swap and its listener call, the reader's artifact is compiled here (allocates once).
     */
    CompiledArtifact compiledFor(final LoadedArtifact artifact)
    {
        final CompiledArtifact current = latest;
        if (current != null && current.artifact == artifact)
        {
            return current;
        }
        synchronized (this)
        {
            final CompiledArtifact again = latest;
            if (again != null && again.artifact == artifact)
            {
                return again;
            }
            final CompiledArtifact compiled = CompiledArtifact.of(artifact);
            if (again == null || again.version < compiled.version)
            {
                serving(compiled);
            }
            return compiled;
        }
    }

    boolean nameEquals(final DirectBuffer buffer, final int offset, final int length, final int hash)
    {
        if (hash != nameHash || length != nameBytes.length)
        {
            return false;
        }
        final byte[] bytes = nameBytes;
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    static int hash(final byte[] bytes, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ (bytes[offset + i] & 0xFF)) * 0x01000193;
        }
        return h;
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ (buffer.getByte(offset + i) & 0xFF)) * 0x01000193;
        }
        return h;
    }
}
