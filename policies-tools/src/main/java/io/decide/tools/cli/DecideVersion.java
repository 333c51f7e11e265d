package io.decide.tools.cli;

import io.decide.format.ArtifactDescriptor;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code decide --version}: the tool's build version (from the Maven descriptor in the jar), the artifact format
 * version it writes and reads, and the Java runtime.
 */
public final class DecideVersion implements IVersionProvider
{
    private static final String POM_PROPERTIES = "/META-INF/maven/io.decide/policies-tools/pom.properties";

    /** Creates the provider; picocli instantiates it. */
    public DecideVersion()
    {
    }

    @Override
    public String[] getVersion()
    {
        return new String[]{
            "decide " + toolVersion(),
            "artifact format " + ArtifactDescriptor.MAJOR_VERSION + "." + ArtifactDescriptor.MINOR_VERSION +
                " (reads major version " + ArtifactDescriptor.MAJOR_VERSION + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", " +
                System.getProperty("java.vm.name") + ")",
        };
    }

    /** @return the version of this build, or "development build" when not running from the packaged jar. */
    public static String toolVersion()
    {
        final String fromManifest = DecideVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null)
        {
            return fromManifest;
        }
        try (InputStream in = DecideVersion.class.getResourceAsStream(POM_PROPERTIES))
        {
            if (in != null)
            {
                final Properties properties = new Properties();
                properties.load(in);
                final String version = properties.getProperty("version");
                if (version != null)
                {
                    return version;
                }
            }
        }
        catch (final IOException ignore)
        {
            // Fall through: a version string is informative only.
        }
        return "development build";
    }
}
