package io.decide.engine.registry;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves the highest valid version of each artifact name and swaps new versions in atomically.
 * <p>
 * Loading (from a directory of {@code *.dpol} files, or one file explicitly) maps, validates and verifies each
 * candidate before it can serve; a candidate that fails is reported ({@link ReloadResult}, the
 * {@link RegistryListener}, {@link #loadFailures()}) and the serving version is untouched.
 * <p>
 * Reclamation is epoch-based: readers announce the epoch they entered at in a padded per-reader slot
 * ({@link PolicyReader}); a swap publishes the new artifact, then advances the epoch and retires the old one
 * with the new epoch. A retired artifact is unmapped only when every reader is idle or entered at or after its
 * retirement epoch, i.e. when no reader can hold it. A reader stuck inside a scope delays unmapping (memory
 * stays mapped) but can never make a reader fault. Loads and reclamation are serialised; reads never lock.
 */
public final class PolicyRegistry implements AutoCloseable
{
    /** Readers a registry supports by default. */
    public static final int DEFAULT_MAX_READERS = 256;
    private static final int STRIDE = 16;
    private static final long IDLE = 0;

    private record Retired(LoadedArtifact artifact, long epoch)
    {
    }

    private record FileStamp(long size, long modifiedMillis, Object fileKey)
    {
    }

    private record Candidate(Path file, String name, long version)
    {
    }

    private final Path directory;
    private final ArtifactLoader loader;
    private final RegistryListener listener;
    private final int maxReaders;
    private final AtomicLongArray readerEpochs;
    private final AtomicIntegerArray readerClaimed;
    private final AtomicLong epoch = new AtomicLong(1);
    private final ConcurrentHashMap<String, PolicySlot> slots = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();
    private final Map<Path, FileStamp> seen = new HashMap<>();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong loadFailures = new AtomicLong();
    private final AtomicLong reclaimed = new AtomicLong();
    private volatile boolean closed;

    /**
     * A registry over a policy directory with default options. Call {@link #reload()} to load it.
     *
     * @param directory directory of {@code *.dpol} files, or null for explicit {@link #load(Path)} only.
     */
    public PolicyRegistry(final Path directory)
    {
        this(directory, LoadOptions.defaults(), DEFAULT_MAX_READERS, RegistryListener.NONE);
    }

    /**
     * A registry.
     *
     * @param directory  directory of {@code *.dpol} files, or null for explicit {@link #load(Path)} only.
     * @param options    how artifacts are opened.
     * @param maxReaders most {@link PolicyReader}s alive at once.
     * @param listener   told of every load and refusal.
     */
    public PolicyRegistry(
        final Path directory, final LoadOptions options, final int maxReaders, final RegistryListener listener)
    {
        if (maxReaders < 1)
        {
            throw new IllegalArgumentException("maxReaders must be >= 1: " + maxReaders);
        }
        this.directory = directory;
        this.loader = new ArtifactLoader(options);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxReaders = maxReaders;
        this.readerEpochs = new AtomicLongArray((maxReaders + 1) * STRIDE);
        this.readerClaimed = new AtomicIntegerArray(maxReaders);
    }

    /** @return the policy directory, or null. */
    public Path directory()
    {
        return directory;
    }

    /**
     * Claim a reader for the calling thread (keep it for the thread's life; close it to give the slot back).
     *
     * @return a new reader.
     * @throws IllegalStateException when all {@code maxReaders} readers are in use.
     */
    public PolicyReader newReader()
    {
        for (int i = 0; i < maxReaders; i++)
        {
            if (readerClaimed.get(i) == 0 && readerClaimed.compareAndSet(i, 0, 1))
            {
                readerEpochs.set(slotIndex(i), IDLE);
                return new PolicyReader(this, i);
            }
        }
        throw new IllegalStateException("all " + maxReaders + " policy readers are in use; close unused readers " +
            "or create the registry with a larger maxReaders");
    }

    /**
     * The slot serving an artifact name (created empty if the name has not been loaded yet). Resolve once and keep.
     *
     * @param name artifact name.
     * @return its slot.
     */
    public PolicySlot slot(final String name)
    {
        return slots.computeIfAbsent(name, PolicySlot::new);
    }

    /** @return serving version per artifact name. */
    public Map<String, Long> versions()
    {
        final Map<String, Long> result = new TreeMap<>();
        for (final PolicySlot slot : slots.values())
        {
            final LoadedArtifact artifact = slot.current();
            if (artifact != null)
            {
                result.put(slot.name(), artifact.version());
            }
        }
        return result;
    }

    /**
     * Load one file and serve it if its version is higher than the serving one of its name.
     *
     * @param file artifact file.
     * @return the artifact serving its name after the call (the new one, or the existing higher version), for the
     *         caller's inspection: like any artifact it may be unmapped once replaced, so a thread that reads it
     *         while other threads load or close must do so inside a {@link PolicyReader} scope via its slot.
     * @throws ArtifactFormatException when the file is not a valid artifact; the serving version is untouched.
     * @throws IOException             when the file cannot be read.
     */
    public LoadedArtifact load(final Path file) throws IOException
    {
        synchronized (writeLock)
        {
            ensureOpen();
            final LoadedArtifact artifact;
            try
            {
                artifact = loader.open(file);
            }
            catch (final IOException | RuntimeException ex)
            {
                loadFailures.incrementAndGet();
                listener.onRejected(file, ex);
                throw ex;
            }
            final PolicySlot slot = slot(artifact.name());
            final LoadedArtifact previous = slot.current();
            if (previous != null && previous.version() >= artifact.version())
            {
                artifact.unmap();
                return previous;
            }
            swap(slot, artifact);
            return artifact;
        }
    }

    /**
     * Scan the policy directory: open new or changed {@code *.dpol} files (hidden and temporary files are
     * ignored), and per name serve the highest version that validates. A refused file is reported and not
     * retried until it changes.
     *
     * @return what changed.
     */
    public ReloadResult reload()
    {
        if (directory == null)
        {
            throw new IllegalStateException("this registry has no policy directory");
        }
        synchronized (writeLock)
        {
            ensureOpen();
            final List<LoadedArtifact> loaded = new ArrayList<>();
            final List<ReloadResult.Rejected> rejected = new ArrayList<>();
            final List<Path> superseded = new ArrayList<>();
            final Map<String, List<Candidate>> byName = new HashMap<>();
            final Set<Path> present = new HashSet<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.dpol"))
            {
                for (final Path file : stream)
                {
                    if (file.getFileName().toString().startsWith("."))
                    {
                        continue;
                    }
                    final FileStamp stamp;
                    try
                    {
                        final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        if (!attributes.isRegularFile())
                        {
                            continue;
                        }
                        stamp = new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis(),
                            attributes.fileKey());
                    }
                    catch (final NoSuchFileException ex)
                    {
                        continue;
                    }
                    present.add(file);
                    if (stamp.equals(seen.get(file)))
                    {
                        continue;
                    }
                    seen.put(file, stamp);
                    Candidate candidate = peek(file);
                    if (candidate == null)
                    {
                        // Not a plausible header: open it to report the precise reason. Should it have become
                        // valid meanwhile (replaced by a rename), treat it as a candidate like any other.
                        final LoadedArtifact opened = openOrReport(file, rejected);
                        if (opened == null)
                        {
                            continue;
                        }
                        candidate = new Candidate(file, opened.name(), opened.version());
                        opened.unmap();
                    }
                    byName.computeIfAbsent(candidate.name, k -> new ArrayList<>()).add(candidate);
                }
            }
            catch (final IOException ex)
            {
                loadFailures.incrementAndGet();
                listener.onRejected(directory, ex);
                rejected.add(new ReloadResult.Rejected(directory, ex));
            }
            seen.keySet().retainAll(present);

            for (final List<Candidate> candidates : byName.values())
            {
                candidates.sort(Comparator.comparingLong(Candidate::version).reversed());
                boolean done = false;
                for (final Candidate candidate : candidates)
                {
                    final PolicySlot slot = slot(candidate.name);
                    final LoadedArtifact serving = slot.current();
                    if (done || (serving != null && serving.version() >= candidate.version))
                    {
                        superseded.add(candidate.file);
                        continue;
                    }
                    final LoadedArtifact artifact = openOrReport(candidate.file, rejected);
                    if (artifact == null)
                    {
                        continue;
                    }
                    if (!artifact.name().equals(candidate.name) || artifact.version() != candidate.version)
                    {
                        artifact.unmap();
                        final Exception ex = new ArtifactFormatException(candidate.file.toString(), "header", -1,
                            "file changed while loading");
                        loadFailures.incrementAndGet();
                        listener.onRejected(candidate.file, ex);
                        rejected.add(new ReloadResult.Rejected(candidate.file, ex));
                        continue;
                    }
                    swap(slot, artifact);
                    loaded.add(artifact);
                    done = true;
                }
            }
            reclaim();
            return new ReloadResult(List.copyOf(loaded), List.copyOf(rejected), List.copyOf(superseded));
        }
    }

    /**
     * Open a file, or report why it cannot be: returns null after reporting.
     */
    private LoadedArtifact openOrReport(final Path file, final List<ReloadResult.Rejected> rejected)
    {
        try
        {
            return loader.open(file);
        }
        catch (final IOException | RuntimeException ex)
        {
            loadFailures.incrementAndGet();
            listener.onRejected(file, ex);
            rejected.add(new ReloadResult.Rejected(file, ex));
            return null;
        }
    }

    /**
     * Read name and version from a header without mapping the file; null when the header is not plausible
     * (the caller then opens the file to get the precise error).
     */
    private static Candidate peek(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(ArtifactDescriptor.HEADER_LENGTH);
            while (bytes.hasRemaining() && channel.read(bytes) >= 0)
            {
                continue;
            }
            if (bytes.hasRemaining())
            {
                return null;
            }
            final ArtifactHeaderFlyweight header = new ArtifactHeaderFlyweight().wrap(new UnsafeBuffer(bytes.array()));
            if (header.magic() != ArtifactDescriptor.MAGIC || header.major() != ArtifactDescriptor.MAJOR_VERSION ||
                header.nameLength() < 1 || header.nameLength() > ArtifactDescriptor.NAME_MAX_LENGTH)
            {
                return null;
            }
            final String name = header.name();
            return ArtifactDescriptor.isValidName(name) ? new Candidate(file, name, header.artifactVersion()) : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private void swap(final PolicySlot slot, final LoadedArtifact artifact)
    {
        artifact.markRegistryOwned();
        final LoadedArtifact previous = slot.current();
        slot.set(artifact);
        final long retiredAt = epoch.incrementAndGet();
        loads.incrementAndGet();
        if (previous != null)
        {
            retired.addLast(new Retired(previous, retiredAt));
        }
        listener.onLoaded(artifact, previous);
        reclaim();
    }

    /**
     * Unmap retired artifacts that no reader can reach any more. Called after every swap; call it again (or
     * {@link #awaitReclaim(Duration)}) to release mappings held back by readers that were inside a scope.
     *
     * @return number of artifacts unmapped by this call.
     */
    public int reclaim()
    {
        synchronized (writeLock)
        {
            if (retired.isEmpty())
            {
                return 0;
            }
            final long oldestActive = oldestActiveEpoch();
            int count = 0;
            for (final Iterator<Retired> it = retired.iterator(); it.hasNext(); )
            {
                final Retired r = it.next();
                if (r.epoch <= oldestActive)
                {
                    it.remove();
                    r.artifact.unmap();
                    count++;
                }
            }
            reclaimed.addAndGet(count);
            return count;
        }
    }

    /**
     * Reclaim until nothing is retired or the timeout passes.
     *
     * @param timeout longest wait.
     * @return whether every retired artifact was unmapped.
     */
    public boolean awaitReclaim(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            reclaim();
            if (retiredCount() == 0)
            {
                return true;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private long oldestActiveEpoch()
    {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < maxReaders; i++)
        {
            if (readerClaimed.get(i) != 0)
            {
                final long entered = readerEpochs.get(slotIndex(i));
                if (entered != IDLE && entered < oldest)
                {
                    oldest = entered;
                }
            }
        }
        return oldest;
    }

    /** @return artifacts swapped out but not yet unmapped. */
    public int retiredCount()
    {
        synchronized (writeLock)
        {
            return retired.size();
        }
    }

    /** @return artifacts that started serving since the registry was created. */
    public long loads()
    {
        return loads.get();
    }

    /** @return files refused since the registry was created. */
    public long loadFailures()
    {
        return loadFailures.get();
    }

    /** @return retired artifacts unmapped since the registry was created. */
    public long reclaimed()
    {
        return reclaimed.get();
    }

    /**
     * Stop serving: wait up to {@code timeout} for readers to leave their scopes, then unmap every artifact.
     * Mappings that a reader might still touch are left mapped rather than risk a fault.
     *
     * @param timeout longest wait for readers.
     * @return whether everything was unmapped.
     */
    public boolean close(final Duration timeout)
    {
        synchronized (writeLock)
        {
            if (closed)
            {
                return retired.isEmpty();
            }
            closed = true;
            for (final PolicySlot slot : slots.values())
            {
                final LoadedArtifact artifact = slot.current();
                if (artifact != null)
                {
                    slot.set(null);
                    retired.addLast(new Retired(artifact, epoch.incrementAndGet()));
                }
            }
        }
        return awaitReclaim(timeout);
    }

    /** Same as {@code close(Duration.ofSeconds(5))}. */
    @Override
    public void close()
    {
        close(Duration.ofSeconds(5));
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("policy registry is closed");
        }
    }

    void enterReader(final int index)
    {
        readerEpochs.set(slotIndex(index), epoch.get());
    }

    void exitReader(final int index)
    {
        readerEpochs.setRelease(slotIndex(index), IDLE);
    }

    void releaseReader(final int index)
    {
        readerEpochs.setRelease(slotIndex(index), IDLE);
        readerClaimed.set(index, 0);
    }

    private static int slotIndex(final int reader)
    {
        return (reader + 1) * STRIDE;
    }
}
