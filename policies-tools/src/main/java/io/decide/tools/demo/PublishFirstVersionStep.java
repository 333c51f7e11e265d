package io.decide.tools.demo;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.ReloadResult;
import io.decide.format.signature.KeyFiles;
import io.decide.tools.artifact.KeyIds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/** Generates the signing key, publishes v1, and opens a registry that requires that key and serves v1. */
final class PublishFirstVersionStep implements DemoStep
{
    @Override
    public String title()
    {
        return "publish " + DemoArtifacts.NAME + " v1 signed with a fresh Ed25519 key; serve it from a registry " +
            "that requires that key";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final KeyPair signer = KeyFiles.generate();
        final Path keys = context.policies().resolve("keys");
        Files.createDirectories(keys);
        KeyFiles.write(signer, keys.resolve("demo-signer"));
        context.note("signing key " + KeyIds.of(signer.getPublic()) + " (written to " + keys + ")");
        final DemoArtifacts artifacts = new DemoArtifacts(signer);
        context.artifacts(artifacts);

        final Path file = artifacts.publish(context.policies(), 1, true);
        context.note("wrote " + file.getFileName() + " (" + Files.size(file) + " bytes: FEATURE_SCHEMA, METADATA, " +
            "payload type " + DemoArtifacts.PAYLOAD_TYPE + ", VERIFICATION_VECTORS, SIGNATURE)");

        final PolicyRegistry registry = context.openRegistry(
            DemoArtifacts.loadOptions(signer.getPublic()), context.readerCount() + 1);
        final ReloadResult result = registry.reload();
        if (!FoundationDemo.loadedExactly(result, 1))
        {
            context.fail("v1 did not load: " + FoundationDemo.describe(result));
            throw new IllegalStateException("cannot continue without v1");
        }
        final LoadedArtifact v1 = result.loaded().get(0);
        context.note("serving " + v1 + ", verification: " + v1.verification().groupsReplayed() +
            " group replayed (" + v1.verification().vectorsChecked() + " vectors)");
        context.check(v1.verification().vectorsChecked() > 0, "v1's verification vectors were not replayed");
    }
}
