package io.decide.engine.registry;

import io.decide.testsupport.AllocationAssert;
import io.decide.testsupport.ArtifactFixtures;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The read path of a loaded artifact (guard, slot, section read) allocates nothing once warmed up. */
class ReadPathAllocationTest
{
    @TempDir
    Path dir;

    private long sink;

    @Test
    void guardedReadAllocatesNothing() throws IOException
    {
        final Path file = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 5, 4096, 5), "a.dpol");
        try (PolicyRegistry registry = new PolicyRegistry(null))
        {
            registry.load(file);
            final PolicySlot slot = registry.slot("a");
            final PolicyReader reader = registry.newReader();
            final int offset = slot.current().sectionOffset(ArtifactFixtures.PAYLOAD_TYPE, 0);
            final Runnable read = () ->
            {
                try (PolicyReader.Scope ignored = reader.enter())
                {
                    final LoadedArtifact artifact = slot.current();
                    final DirectBuffer buffer = artifact.buffer();
                    long sum = 0;
                    for (int i = 0; i < 512; i += 64)
                    {
                        sum += buffer.getLong(offset + i * 8, ByteOrder.LITTLE_ENDIAN);
                    }
                    sink += sum + artifact.sectionOffset(ArtifactFixtures.PAYLOAD_TYPE, 0);
                }
            };
            AllocationAssert.assertZeroAllocation("guarded artifact read", 200_000, 100_000, read);
            assertEquals(0, sink % (5L * 8 + offset), "every call read the same eight payload longs");
            assertEquals(true, sink > 0);
            reader.close();
        }
    }
}
