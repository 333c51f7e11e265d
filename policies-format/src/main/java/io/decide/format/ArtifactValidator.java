package io.decide.format;

import io.decide.format.adslot.AdSlotPolicyDescriptor;
import io.decide.format.adslot.AdSlotPolicyValidator;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionReader;
import io.decide.format.network.DenseNetworkDescriptor;
import io.decide.format.network.DenseNetworkValidator;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualValidator;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsValidator;
import io.decide.format.schema.FeatureSchemaValidator;
import io.decide.format.signature.ArtifactSignatures;
import io.decide.format.signature.SignatureDescriptor;
import io.decide.format.signature.SignatureValidator;
import io.decide.format.vectors.VerificationVectorsValidator;
import org.agrona.DirectBuffer;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.decide.format.ArtifactDescriptor.*;

/**
 * Checks an artifact completely, once: header, section table, bounds, alignment, overlaps, zero padding, every
 * CRC, every known section's layout and cross-references, and the signature. What it accepts, readers may read
 * with no checks. Unknown section types (of the known major version) pass with bounds and CRC checked.
 * Thread-safe; keep one per configuration.
 */
public final class ArtifactValidator
{
    private final Map<Integer, SectionRule> rules = new HashMap<>();
    private final Map<String, PublicKey> trustedKeys = new HashMap<>();

    /** A validator with the built-in section rules and no trusted keys (signatures checked for shape only). */
    public ArtifactValidator()
    {
        this(List.of());
    }

    /**
     * A validator with the built-in rules, plus or overriding {@code extraRules}, requiring a valid signature by
     * one of {@code trustedKeys} when that collection is not empty.
     *
     * @param trustedKeys Ed25519 public keys; empty means signatures are not required.
     * @param extraRules  rules for further section types (later layouts), replacing built-ins of the same type.
     */
    public ArtifactValidator(final Collection<PublicKey> trustedKeys, final SectionRule... extraRules)
    {
        for (final SectionRule rule : builtInRules())
        {
            rules.put(rule.type(), rule);
        }
        for (final SectionRule rule : extraRules)
        {
            rules.put(rule.type(), rule);
        }
        for (final PublicKey key : trustedKeys)
        {
            this.trustedKeys.put(hex(ArtifactSignatures.keyId(key)), key);
        }
    }

    /** @return the rules for the section types this module defines. */
    public static SectionRule[] builtInRules()
    {
        return new SectionRule[]{
            new SectionRule(SectionType.FEATURE_SCHEMA, 1, 1, new FeatureSchemaValidator()),
            new SectionRule(SectionType.METADATA, 1, 1, new MetadataValidator()),
            new SectionRule(SectionType.VERIFICATION_VECTORS, 16, 1, new VerificationVectorsValidator()),
            new SectionRule(SectionType.SIGNATURE, 1, 1, new SignatureValidator()),
            new SectionRule(SectionType.GBDT_ENSEMBLE, 64, GbdtDescriptor.VERSION, new GbdtSectionReader()),
            new SectionRule(SectionType.QUOTA_DUAL, 16, QuotaDualDescriptor.VERSION, new QuotaDualValidator()),
            new SectionRule(SectionType.COHORT_SCALARS, 1, CohortScalarsDescriptor.VERSION,
                new CohortScalarsValidator()),
            new SectionRule(SectionType.DENSE_NETWORK, 64, DenseNetworkDescriptor.VERSION,
                new DenseNetworkValidator()),
            new SectionRule(SectionType.AD_SLOT_POLICY, 16, AdSlotPolicyDescriptor.VERSION,
                new AdSlotPolicyValidator()),
        };
    }

    /** @return whether a valid signature by a trusted key is required. */
    public boolean requiresSignature()
    {
        return !trustedKeys.isEmpty();
    }

    /**
     * Validate an artifact.
     *
     * @param source name for messages (usually the file name).
     * @param buffer the bytes; index 0 is the start of the file.
     * @param length number of bytes in the file.
     * @return the validated layout.
     * @throws ArtifactFormatException naming the region, offset and reason of the first problem found.
     */
    public ArtifactLayout validate(final String source, final DirectBuffer buffer, final long length)
    {
        if (length > MAX_FILE_LENGTH)
        {
            throw new ArtifactFormatException(source, "file", -1, "file is " + length +
                " bytes; artifacts larger than " + MAX_FILE_LENGTH + " bytes (2 GiB) are not supported");
        }
        if (buffer.capacity() < length)
        {
            throw new ArtifactFormatException(source, "file", -1, "file is " + length +
                " bytes but the buffer holds only " + buffer.capacity());
        }
        if (length < HEADER_LENGTH)
        {
            throw new ArtifactFormatException(source, "header", 0, "file is " + length +
                " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
        }
        final int fileLength = (int)length;
        final ArtifactHeaderFlyweight header = new ArtifactHeaderFlyweight().wrap(buffer);
        if (header.magic() != MAGIC)
        {
            throw new ArtifactFormatException(source, "header", MAGIC_OFFSET,
                "bad magic 0x" + Long.toHexString(header.magic()) + ", not a .dpol artifact");
        }
        if (header.major() != MAJOR_VERSION)
        {
            throw new ArtifactFormatException(source, "header", MAJOR_OFFSET, "format major version " +
                header.major() + " is not supported, this reader understands major version " + MAJOR_VERSION);
        }
        final long headerLength = header.headerLength();
        if (headerLength < HEADER_LENGTH || headerLength > fileLength || (headerLength & 7) != 0)
        {
            throw new ArtifactFormatException(source, "header", HEADER_LENGTH_OFFSET, "header length " +
                headerLength + ", expected a multiple of 8 in [" + HEADER_LENGTH + ", " + fileLength + "]");
        }
        if (header.fileLength() != fileLength)
        {
            throw new ArtifactFormatException(source, "header", FILE_LENGTH_OFFSET, "header says the file is " +
                header.fileLength() + " bytes but it is " + fileLength + " (truncated or extended?)");
        }
        if (header.flags() != 0)
        {
            throw new ArtifactFormatException(source, "header", FLAGS_OFFSET,
                "flags 0x" + Integer.toHexString(header.flags()) + ", expected 0");
        }
        for (int i = 0; i < RESERVED_LENGTH; i++)
        {
            if (buffer.getByte(RESERVED_OFFSET + i) != 0)
            {
                throw new ArtifactFormatException(source, "header", RESERVED_OFFSET + i, "reserved byte must be 0");
            }
        }
        final int nameLength = header.nameLength();
        if (nameLength < 1 || nameLength > NAME_MAX_LENGTH)
        {
            throw new ArtifactFormatException(source, "header", NAME_LENGTH_OFFSET,
                "name length " + nameLength + ", expected 1.." + NAME_MAX_LENGTH);
        }
        for (int i = 0; i < NAME_MAX_LENGTH; i++)
        {
            final int c = buffer.getByte(NAME_OFFSET + i) & 0xFF;
            if (i < nameLength ? !isNameChar(c) : c != 0)
            {
                throw new ArtifactFormatException(source, "header", NAME_OFFSET + i, i < nameLength ?
                    "name byte 0x" + Integer.toHexString(c) + " is not one of [A-Za-z0-9._-]" :
                    "name padding must be 0");
            }
        }
        if (header.artifactVersion() < 1)
        {
            throw new ArtifactFormatException(source, "header", ARTIFACT_VERSION_OFFSET,
                "artifact version " + header.artifactVersion() + ", expected >= 1");
        }
        if (header.createdMillis() < 0)
        {
            throw new ArtifactFormatException(source, "header", CREATED_MILLIS_OFFSET,
                "creation time " + header.createdMillis() + ", expected >= 0");
        }

        final long tableOffset = header.sectionTableOffset();
        final long count = header.sectionCount();
        if (count > MAX_SECTIONS)
        {
            throw new ArtifactFormatException(source, "header", SECTION_COUNT_OFFSET,
                "section count " + count + " exceeds " + MAX_SECTIONS);
        }
        final long tableEnd = tableOffset + count * SectionTableDescriptor.ENTRY_LENGTH;
        if (tableOffset < headerLength || (tableOffset % ALIGNMENT) != 0 || tableEnd > fileLength)
        {
            throw new ArtifactFormatException(source, "header", SECTION_TABLE_OFFSET_OFFSET, "section table at " +
                tableOffset + " with " + count + " entries, expected a " + ALIGNMENT + "-aligned table in [" +
                headerLength + ", " + fileLength + ")");
        }

        final int n = (int)count;
        final int[] types = new int[n];
        final int[] versions = new int[n];
        final int[] offsets = new int[n];
        final int[] lengths = new int[n];
        final int[] crcs = new int[n];
        final SectionEntryFlyweight entry = new SectionEntryFlyweight();
        for (int i = 0; i < n; i++)
        {
            final int at = SectionTableDescriptor.entryOffset((int)tableOffset, i);
            entry.wrap(buffer, at);
            final String where = "section table entry " + i + " (" + SectionType.name(entry.type()) + ")";
            if (entry.reserved() != 0)
            {
                throw new ArtifactFormatException(source, where, at + SectionTableDescriptor.RESERVED_OFFSET,
                    "reserved field must be 0");
            }
            final long offset = entry.sectionOffset();
            final long sectionLength = entry.sectionLength();
            if (offset < tableEnd || offset > fileLength || (offset % ALIGNMENT) != 0)
            {
                throw new ArtifactFormatException(source, where, at + SectionTableDescriptor.OFFSET_OFFSET,
                    "section offset " + offset + ", expected a " + ALIGNMENT + "-aligned offset in [" + tableEnd +
                    ", " + fileLength + "]");
            }
            if (sectionLength < 0 || sectionLength > fileLength - offset)
            {
                throw new ArtifactFormatException(source, where, at + SectionTableDescriptor.LENGTH_OFFSET,
                    "section length " + sectionLength + " at offset " + offset + " runs past the end of the " +
                    fileLength + "-byte file");
            }
            types[i] = entry.type();
            versions[i] = entry.sectionVersion();
            offsets[i] = (int)offset;
            lengths[i] = (int)sectionLength;
            crcs[i] = entry.crc();
        }

        checkOverlapsAndPadding(source, buffer, fileLength, (int)headerLength, (int)tableOffset, (int)tableEnd,
            types, offsets, lengths);

        final ArtifactLayout layout = new ArtifactLayout(header.name(), header.artifactVersion(),
            header.createdMillis(), header.major(), header.minor(), fileLength, header.fileCrc(), types, versions,
            offsets, lengths, crcs);

        // Section CRCs before the file CRC, so damage inside a section is reported against that section.
        for (int i = 0; i < n; i++)
        {
            final int crc = Checksums.crc32c(buffer, offsets[i], lengths[i]);
            if (crc != crcs[i])
            {
                throw new ArtifactFormatException(source, layout.label(i), offsets[i], "section CRC32C is 0x" +
                    Integer.toHexString(crc) + " but the table says 0x" + Integer.toHexString(crcs[i]));
            }
        }

        final int storedFileCrc = header.fileCrc();
        final int fileCrc = Checksums.fileCrc32c(buffer, fileLength);
        if (fileCrc != storedFileCrc)
        {
            throw new ArtifactFormatException(source, "header", FILE_CRC_OFFSET, "file CRC32C is 0x" +
                Integer.toHexString(fileCrc) + " but the header says 0x" + Integer.toHexString(storedFileCrc));
        }

        final Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++)
        {
            final SectionRule rule = rules.get(types[i]);
            if (rule == null)
            {
                continue;
            }
            final int seen = counts.merge(types[i], 1, Integer::sum);
            if (seen > rule.maxCount())
            {
                throw new ArtifactFormatException(source, layout.label(i), offsets[i], "more than " +
                    rule.maxCount() + " " + SectionType.name(types[i]) + " section(s)");
            }
            if (versions[i] < 1 || versions[i] > rule.maxVersion())
            {
                throw new ArtifactFormatException(source, layout.label(i), offsets[i], "section layout version " +
                    versions[i] + " is not supported, this reader understands 1.." + rule.maxVersion());
            }
            if (rule.validator() != null)
            {
                rule.validator().validate(buffer, offsets[i], lengths[i], versions[i],
                    new SectionContext(source, layout, i));
            }
        }

        checkSignature(source, buffer, layout, (int)tableOffset);
        return layout;
    }

    private void checkSignature(
        final String source, final DirectBuffer buffer, final ArtifactLayout layout, final int tableOffset)
    {
        final int index = layout.indexOf(SectionType.SIGNATURE, 0);
        if (index < 0)
        {
            if (requiresSignature())
            {
                throw new ArtifactFormatException(source, "file", -1,
                    "artifact is not signed, and a public key is configured so a valid signature is required");
            }
            layout.signature(false, false);
            return;
        }
        if (!requiresSignature())
        {
            layout.signature(true, false);
            return;
        }
        final int offset = layout.sectionOffset(index);
        final byte[] keyId = new byte[SignatureDescriptor.KEY_ID_LENGTH];
        buffer.getBytes(offset + SignatureDescriptor.KEY_ID_OFFSET, keyId);
        final PublicKey key = trustedKeys.get(hex(keyId));
        if (key == null)
        {
            throw new ArtifactFormatException(source, layout.label(index), offset + SignatureDescriptor.KEY_ID_OFFSET,
                "signed by key " + hex(keyId).substring(0, 16) + "..., which is not a configured public key");
        }
        final byte[] signature = new byte[SignatureDescriptor.ED25519_SIGNATURE_LENGTH];
        buffer.getBytes(offset + SignatureDescriptor.SIGNATURE_OFFSET, signature);
        final byte[] digest = ArtifactSignatures.digest(buffer, tableOffset, index, offset);
        if (!ArtifactSignatures.verify(key, digest, signature))
        {
            throw new ArtifactFormatException(source, layout.label(index),
                offset + SignatureDescriptor.SIGNATURE_OFFSET,
                "Ed25519 signature does not verify: the artifact was changed after signing or signed differently");
        }
        layout.signature(true, true);
    }

    private static void checkOverlapsAndPadding(
        final String source,
        final DirectBuffer buffer,
        final int fileLength,
        final int headerLength,
        final int tableOffset,
        final int tableEnd,
        final int[] types,
        final int[] offsets,
        final int[] lengths)
    {
        final int n = offsets.length;
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> offsets[a] != offsets[b] ?
            Integer.compare(offsets[a], offsets[b]) : Integer.compare(lengths[a], lengths[b]));

        final List<int[]> gaps = new ArrayList<>();
        gaps.add(new int[]{headerLength, tableOffset});
        int end = tableEnd;
        for (int k = 0; k < n; k++)
        {
            final int i = order[k];
            if (offsets[i] < end)
            {
                throw new ArtifactFormatException(source, "section table entry " + i + " (" +
                    SectionType.name(types[i]) + ")", offsets[i], "section [" + offsets[i] + ", " +
                    (offsets[i] + lengths[i]) + ") overlaps the region ending at " + end);
            }
            gaps.add(new int[]{end, offsets[i]});
            end = offsets[i] + lengths[i];
        }
        gaps.add(new int[]{end, fileLength});
        for (final int[] gap : gaps)
        {
            for (int at = gap[0]; at < gap[1]; at++)
            {
                if (buffer.getByte(at) != 0)
                {
                    throw new ArtifactFormatException(source, "padding", at,
                        "padding byte 0x" + Integer.toHexString(buffer.getByte(at) & 0xFF) +
                        " outside every section, expected 0");
                }
            }
            if (gap[1] - gap[0] >= ALIGNMENT && gap[0] >= tableEnd)
            {
                throw new ArtifactFormatException(source, "padding", gap[0], (gap[1] - gap[0]) +
                    " bytes of padding, expected less than " + ALIGNMENT + " between aligned sections");
            }
        }
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
