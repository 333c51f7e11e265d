package io.decide.tools.demo;

import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.ReloadResult;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Drops in artifacts with higher versions that must be refused (a corrupted one, an unsigned one) and checks
 * that the serving version is untouched; then a good, signed version, which must take over.
 */
final class RefuseBadArtifactsStep implements DemoStep
{
    @Override
    public String title()
    {
        return "drop in a corrupted and an unsigned artifact with higher versions: both refused, the serving " +
            "version keeps serving";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final PolicyRegistry registry = context.registry();
        final DemoArtifacts artifacts = context.artifacts();
        final long serving = FoundationDemo.servingVersion(registry);

        final long corruptVersion = serving + 1;
        final byte[] corrupt = artifacts.bytes(corruptVersion, true);
        final ArtifactLayout layout = new ArtifactValidator().validate("corrupt", new UnsafeBuffer(corrupt),
            corrupt.length);
        final int payload = layout.indexOf(DemoArtifacts.PAYLOAD_TYPE, 0);
        final int flipAt = layout.sectionOffset(payload) + layout.sectionLength(payload) / 2 + 3;
        corrupt[flipAt] = (byte)~corrupt[flipAt];
        final Path corruptFile = ArtifactWriter.writeAtomically(
            context.policies().resolve(DemoArtifacts.fileName(corruptVersion)), corrupt);
        expectRefused(context, registry, serving, corruptFile, "corrupted: byte at offset " + flipAt + " flipped");

        final long unsignedVersion = serving + 2;
        final Path unsignedFile = artifacts.publish(context.policies(), unsignedVersion, false);
        expectRefused(context, registry, serving, unsignedFile, "unsigned");

        final long goodVersion = serving + 3;
        artifacts.publish(context.policies(), goodVersion, true);
        final ReloadResult result = registry.reload();
        context.check(FoundationDemo.loadedExactly(result, goodVersion),
            "v" + goodVersion + " (signed) did not load: " + FoundationDemo.describe(result));
        context.check(context.readers() == null || context.readers().awaitVersion(goodVersion, Duration.ofSeconds(5)),
            "not every reader read v" + goodVersion + " within 5 s");
        context.note("published v" + goodVersion + " signed: serving v" + FoundationDemo.servingVersion(registry));
    }

    private static void expectRefused(
        final DemoContext context, final PolicyRegistry registry, final long serving, final Path file,
        final String what)
    {
        final ReloadResult result = registry.reload();
        final boolean refused = result.loaded().isEmpty() && result.rejected().size() == 1 &&
            result.rejected().get(0).file().equals(file);
        if (context.check(refused, file.getFileName() + " (" + what + ") was not refused: " +
            FoundationDemo.describe(result)))
        {
            context.note("refused " + file.getFileName() + " (" + what + "):");
            context.note("  " + DemoContext.oneLine(result.rejected().get(0).reason()));
        }
        final long now = FoundationDemo.servingVersion(registry);
        context.check(now == serving, "serving v" + now + " after the refusal, expected v" + serving);
        context.note("still serving v" + now);
    }
}
