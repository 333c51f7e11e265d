package io.decide.sidecar.daemon;

import io.decide.sidecar.protocol.FrameDescriptor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The daemon's configuration: every setting is a property ({@code decided.*}, in a {@code --config} file) with a
 * command-line flag of the same name and a default; flags override the file. {@link #from} validates everything at
 * start and names each bad setting. The table of settings is {@link #SETTINGS} (also listed by
 * {@code decided --help}).
 *
 * @param policies          policy directory.
 * @param uds               Unix domain socket path, or null.
 * @param tcp               TCP listen address, or null.
 * @param shm               shared-memory file, or null.
 * @param admin             admin HTTP address, or null.
 * @param allowNonLoopback  whether TCP/admin may bind a non-loopback address.
 * @param defaultTimeoutUs  budget of a request that gives no deadline.
 * @param shedMarginUs      a request with less time left than this when dispatched is shed.
 * @param maxQueueUs        a request that waited longer than this inside the daemon is shed.
 * @param maxFrameBytes     largest request frame.
 * @param maxConnections    socket connections at once.
 * @param outBufferBytes    outbound buffer per connection.
 * @param maxCandidates     most candidates in a rank request.
 * @param shmSlots          client slots in the shared-memory file.
 * @param shmRingBytes      capacity of each shared-memory ring (a power of two).
 * @param idleSpins         idle polls spent spinning before yielding; -1 picks by transport (see the Daemon).
 * @param idleYields        idle polls spent yielding before parking/blocking.
 * @param idleParkUs        longest park of the serving loop when idle with shared memory on.
 * @param watchIntervalMs   how often the policy directory is rescanned (besides file-system events).
 * @param drainTimeoutMs    how long shutdown waits for in-flight requests.
 * @param trustedKeys       public key files (PEM) for signed artifacts; empty = signatures not required.
 * @param debug             whether debug lines are logged.
 * @param stateDir          per-user session-state directory for AD_SLOT decisions, or null (AD_SLOT unsupported).
 * @param cohortTable       user→cohort table file for SCALAR decisions, or null.
 * @param maxUsers          users the session-state map is sized for when it is created.
 * @param log               decision log directory for AD_SLOT decisions, or null (no log).
 * @param warmupRequests    requests per artifact and decision kind run through a throwaway engine before listening.
 */
public record DaemonConfig(
    Path policies,
    Path uds,
    InetSocketAddress tcp,
    Path shm,
    InetSocketAddress admin,
    boolean allowNonLoopback,
    long defaultTimeoutUs,
    long shedMarginUs,
    long maxQueueUs,
    int maxFrameBytes,
    int maxConnections,
    int outBufferBytes,
    int maxCandidates,
    int shmSlots,
    int shmRingBytes,
    int idleSpins,
    int idleYields,
    long idleParkUs,
    long watchIntervalMs,
    long drainTimeoutMs,
    List<Path> trustedKeys,
    boolean debug,
    Path stateDir,
    Path cohortTable,
    long maxUsers,
    Path log,
    int warmupRequests)
{
    /** One setting: property name, default (null = unset) and meaning. */
    public record Setting(String property, String defaultValue, String meaning)
    {
        /** @return the command-line flag of this property. */
        public String flag()
        {
            return "--" + property.substring("decided.".length());
        }
    }

    /** Every setting, in documentation order. */
    public static final List<Setting> SETTINGS = List.of(
        new Setting("decided.policies", null, "policy directory of *.dpol files (required)"),
        new Setting("decided.uds", null, "Unix domain socket path (file mode 0600)"),
        new Setting("decided.tcp", null, "TCP listen address HOST:PORT (loopback unless allow-non-loopback)"),
        new Setting("decided.shm", null, "shared-memory file (ring buffers) path"),
        new Setting("decided.admin", null, "admin HTTP address HOST:PORT (/metrics /health /ready /reload)"),
        new Setting("decided.allow-non-loopback", "false", "allow TCP/admin on non-loopback addresses"),
        new Setting("decided.default-timeout-us", "10000", "budget of a request without deadline (us)"),
        new Setting("decided.shed-margin-us", "1000",
            "shed a request with less than its kind's recent decision time plus this left (us)"),
        new Setting("decided.max-queue-us", "5000", "shed a request that waited longer than this in the daemon (us)"),
        new Setting("decided.max-frame-bytes", String.valueOf(FrameDescriptor.DEFAULT_MAX_FRAME_LENGTH),
            "largest request frame (bytes, multiple of 8, 64..16777216)"),
        new Setting("decided.max-connections", "128", "socket connections served at once"),
        new Setting("decided.out-buffer-bytes", "131072", "outbound buffer per connection (bytes)"),
        new Setting("decided.max-candidates", "4096", "most candidates in a rank request"),
        new Setting("decided.shm-slots", "8", "client slots in the shared-memory file"),
        new Setting("decided.shm-ring-bytes", "2097152", "capacity of each shared-memory ring (power of two)"),
        new Setting("decided.idle-spins", "-1",
            "idle polls spinning before yielding; -1: 0 without shm (block in the selector at once), 100 with shm"),
        new Setting("decided.idle-yields", "0", "idle polls yielding before parking or blocking"),
        new Setting("decided.idle-park-us", "20", "longest park when idle with shared memory on (us)"),
        new Setting("decided.watch-interval-ms", "1000", "policy directory rescan interval (ms)"),
        new Setting("decided.drain-timeout-ms", "5000", "shutdown wait for in-flight requests (ms)"),
        new Setting("decided.trusted-keys", "", "comma-separated public key files; if set, only signed artifacts"),
        new Setting("decided.debug", "false", "log debug lines (connections)"),
        new Setting("decided.state-dir", null,
            "per-user session-state directory (Chronicle Map, kept across restarts); required for AD_SLOT"),
        new Setting("decided.cohort-table", null, "user->cohort table file (Chronicle Map) for SCALAR decisions"),
        new Setting("decided.max-users", "1000000", "users the session-state map is sized for when created"),
        new Setting("decided.log", null, "decision log directory: every decided AD_SLOT answer is logged"),
        new Setting("decided.warmup-requests", "10000",
            "requests per artifact and kind decided at start by a throwaway engine (temporary state, no log) " +
            "before listening, so the JIT has compiled the decision paths; 0 = none"));

    /**
     * Build and validate a configuration.
     *
     * @param file  properties file, or null.
     * @param flags settings from flags (property name to value), override the file.
     * @return the configuration.
     * @throws IllegalArgumentException naming every bad setting.
     * @throws java.io.IOException      when the file cannot be read.
     */
    public static DaemonConfig from(final Path file, final Map<String, String> flags) throws java.io.IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final Setting setting : SETTINGS)
        {
            if (setting.defaultValue() != null)
            {
                values.put(setting.property(), setting.defaultValue());
            }
        }
        final List<String> errors = new ArrayList<>();
        if (file != null)
        {
            final Properties properties = new Properties();
            try (var reader = Files.newBufferedReader(file))
            {
                properties.load(reader);
            }
            for (final String key : properties.stringPropertyNames())
            {
                if (SETTINGS.stream().noneMatch(s -> s.property().equals(key)))
                {
                    errors.add(file + ": unknown setting " + key);
                }
                values.put(key, properties.getProperty(key).trim());
            }
        }
        for (final Map.Entry<String, String> flag : flags.entrySet())
        {
            if (flag.getValue() != null)
            {
                values.put(flag.getKey(), flag.getValue());
            }
        }
        final Parser p = new Parser(values, errors);
        final Path policies = p.path("decided.policies", true);
        if (policies != null && !Files.isDirectory(policies))
        {
            errors.add("decided.policies: " + policies + " is not a directory");
        }
        final boolean allowNonLoopback = p.bool("decided.allow-non-loopback");
        final DaemonConfig config = new DaemonConfig(
            policies,
            p.path("decided.uds", false),
            p.address("decided.tcp", allowNonLoopback),
            p.path("decided.shm", false),
            p.address("decided.admin", allowNonLoopback),
            allowNonLoopback,
            p.longIn("decided.default-timeout-us", 1, 60_000_000),
            p.longIn("decided.shed-margin-us", 0, 1_000_000),
            p.longIn("decided.max-queue-us", 1, 60_000_000),
            (int)p.longIn("decided.max-frame-bytes", 64, 16 * 1024 * 1024),
            (int)p.longIn("decided.max-connections", 1, 65536),
            (int)p.longIn("decided.out-buffer-bytes", 4096, 64 * 1024 * 1024),
            (int)p.longIn("decided.max-candidates", 1, 1 << 20),
            (int)p.longIn("decided.shm-slots", 1, 1024),
            (int)p.longIn("decided.shm-ring-bytes", 4096, 1 << 30),
            (int)p.longIn("decided.idle-spins", -1, 1_000_000_000),
            (int)p.longIn("decided.idle-yields", 0, 1_000_000_000),
            p.longIn("decided.idle-park-us", 1, 1_000_000),
            p.longIn("decided.watch-interval-ms", 10, 3_600_000),
            p.longIn("decided.drain-timeout-ms", 0, 3_600_000),
            p.paths("decided.trusted-keys"),
            p.bool("decided.debug"),
            p.path("decided.state-dir", false),
            p.path("decided.cohort-table", false),
            p.longIn("decided.max-users", 1, 1L << 40),
            p.path("decided.log", false),
            (int)p.longIn("decided.warmup-requests", 0, 10_000_000));
        if (config.cohortTable != null && !Files.isRegularFile(config.cohortTable))
        {
            errors.add("decided.cohort-table: " + config.cohortTable + " is not a file");
        }
        if ((config.maxFrameBytes & 7) != 0)
        {
            errors.add("decided.max-frame-bytes: " + config.maxFrameBytes + " is not a multiple of 8");
        }
        if (Integer.bitCount(config.shmRingBytes) != 1)
        {
            errors.add("decided.shm-ring-bytes: " + config.shmRingBytes + " is not a power of two");
        }
        else if (config.shmRingBytes < 8L * config.maxFrameBytes)
        {
            errors.add("decided.shm-ring-bytes: " + config.shmRingBytes + " must be at least 8 x max-frame-bytes (" +
                config.maxFrameBytes + ")");
        }
        if (config.uds == null && config.tcp == null && config.shm == null)
        {
            errors.add("no transport: give at least one of --uds, --tcp, --shm");
        }
        if (!errors.isEmpty())
        {
            throw new IllegalArgumentException("bad configuration:\n  " + String.join("\n  ", errors));
        }
        return config;
    }

    private static final class Parser
    {
        private final Map<String, String> values;
        private final List<String> errors;

        Parser(final Map<String, String> values, final List<String> errors)
        {
            this.values = values;
            this.errors = errors;
        }

        Path path(final String key, final boolean required)
        {
            final String value = values.get(key);
            if (value == null || value.isEmpty())
            {
                if (required)
                {
                    errors.add(key + " is required");
                }
                return null;
            }
            return Path.of(value);
        }

        List<Path> paths(final String key)
        {
            final List<Path> paths = new ArrayList<>();
            final String value = values.getOrDefault(key, "");
            for (final String part : value.split(","))
            {
                if (!part.isBlank())
                {
                    paths.add(Path.of(part.trim()));
                }
            }
            return paths;
        }

        boolean bool(final String key)
        {
            final String value = values.get(key);
            if (!"true".equals(value) && !"false".equals(value))
            {
                errors.add(key + ": expected true or false, got " + value);
                return false;
            }
            return Boolean.parseBoolean(value);
        }

        long longIn(final String key, final long min, final long max)
        {
            final String value = values.get(key);
            try
            {
                final long parsed = Long.parseLong(value);
                if (parsed < min || parsed > max)
                {
                    errors.add(key + ": " + parsed + " is outside " + min + ".." + max);
                }
                return Math.max(min, Math.min(max, parsed));
            }
            catch (final NumberFormatException ex)
            {
                errors.add(key + ": expected an integer, got " + value);
                return min;
            }
        }

        InetSocketAddress address(final String key, final boolean allowNonLoopback)
        {
            final String value = values.get(key);
            if (value == null || value.isEmpty())
            {
                return null;
            }
            final int colon = value.lastIndexOf(':');
            if (colon <= 0)
            {
                errors.add(key + ": expected HOST:PORT, got " + value);
                return null;
            }
            final String host = value.substring(0, colon).replace("[", "").replace("]", "");
            final int port;
            try
            {
                port = Integer.parseInt(value.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                errors.add(key + ": bad port in " + value);
                return null;
            }
            if (port < 0 || port > 65535)
            {
                errors.add(key + ": port " + port + " outside 0..65535");
                return null;
            }
            try
            {
                final InetAddress address = InetAddress.getByName(host);
                if (!address.isLoopbackAddress() && !allowNonLoopback)
                {
                    errors.add(key + ": " + host + " is not a loopback address; set decided.allow-non-loopback=true " +
                        "to bind it");
                }
                return new InetSocketAddress(address, port);
            }
            catch (final UnknownHostException ex)
            {
                errors.add(key + ": unknown host " + host);
                return null;
            }
        }
    }
}
