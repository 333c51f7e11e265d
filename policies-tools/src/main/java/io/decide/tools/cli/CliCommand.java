package io.decide.tools.cli;

import io.decide.format.ArtifactFormatException;
import io.decide.format.signature.KeyFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/**
 * Base of the subcommands: runs {@link #execute()} and maps what escapes it to an exit code and one line on
 * stderr ({@link ArtifactFormatException} to {@link ExitCodes#INVALID}, I/O errors to {@link ExitCodes#IO_ERROR},
 * anything else, including a JVM started without the flags Agrona needs, to {@link ExitCodes#FAILURE}); stack
 * traces only with {@code --verbose}. Usage errors are left to
 * picocli, which prints them with the usage and exits {@link ExitCodes#USAGE}.
 */
abstract class CliCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    /**
     * Do the command's work.
     *
     * @return an exit code from {@link ExitCodes}.
     * @throws Exception mapped by {@link #call()}.
     */
    abstract int execute() throws Exception;

    @Override
    public final Integer call()
    {
        try
        {
            return execute();
        }
        catch (final ParameterException ex)
        {
            throw ex;
        }
        catch (final ArtifactFormatException ex)
        {
            err().println(invalidLine(ex));
            trace(ex);
            return ExitCodes.INVALID;
        }
        catch (final IOException ex)
        {
            err().println(commandName() + ": " + describe(ex));
            trace(ex);
            return ExitCodes.IO_ERROR;
        }
        catch (final UncheckedIOException ex)
        {
            err().println(commandName() + ": " + describe(ex.getCause()));
            trace(ex);
            return ExitCodes.IO_ERROR;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err().println(commandName() + ": interrupted");
            return ExitCodes.FAILURE;
        }
        catch (final LinkageError ex)
        {
            err().println(commandName() + ": " + ex + " (was the JVM started without the flags in jvm.properties? " +
                "bin/decide adds them)");
            trace(ex);
            return ExitCodes.FAILURE;
        }
        catch (final Exception ex)
        {
            err().println(commandName() + ": internal error: " + ex +
                (verbose() ? "" : " (run with --verbose for the stack trace)"));
            trace(ex);
            return ExitCodes.FAILURE;
        }
        finally
        {
            out().flush();
            err().flush();
        }
    }

    /** @return where results go (picocli's out, which tests replace). */
    final PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    /** @return where errors go (picocli's err, which tests replace). */
    final PrintWriter err()
    {
        return spec.commandLine().getErr();
    }

    /** @return whether stack traces are wanted. */
    final boolean verbose()
    {
        // The root command, however deep this one is nested (decide log export): --verbose lives there.
        final Object root = spec.root().userObject();
        return root instanceof DecideCli && ((DecideCli)root).verbose();
    }

    /**
     * Print a stack trace to stderr when {@code --verbose} was given.
     *
     * @param ex the failure.
     */
    final void trace(final Throwable ex)
    {
        if (verbose())
        {
            ex.printStackTrace(err());
        }
    }

    /** @return "decide NAME" (or "decide log export" for a nested command) for messages. */
    final String commandName()
    {
        return spec.qualifiedName();
    }

    /**
     * The one-line refusal every command prints: {@code INVALID <file>: <section> at offset <n>: <reason>}.
     *
     * @param ex the refusal.
     * @return the line.
     */
    static String invalidLine(final ArtifactFormatException ex)
    {
        return "INVALID " + ex.getMessage();
    }

    /**
     * Read a trusted public key; a file that is not text gets a message naming it (the JDK's does not).
     *
     * @param pem X.509 PEM file.
     * @return the key.
     * @throws IOException when it cannot be read or is not an Ed25519 public key.
     */
    static PublicKey readPublicKey(final Path pem) throws IOException
    {
        try
        {
            return KeyFiles.readPublic(pem);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IOException(pem + ": not a PEM key file (binary content)", ex);
        }
    }

    /**
     * Read a private key, as {@link #readPublicKey(Path)} does a public one.
     *
     * @param pem PKCS#8 PEM file.
     * @return the key.
     * @throws IOException when it cannot be read or is not an Ed25519 private key.
     */
    static PrivateKey readPrivateKey(final Path pem) throws IOException
    {
        try
        {
            return KeyFiles.readPrivate(pem);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IOException(pem + ": not a PEM key file (binary content)", ex);
        }
    }

    /**
     * One line for an I/O failure; the JDK's messages for file-system errors are often just the path.
     *
     * @param ex the failure.
     * @return what happened, naming the file.
     */
    static String describe(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file: " + ex.getMessage();
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied: " + ex.getMessage();
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return "file exists: " + ex.getMessage();
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory: " + ex.getMessage();
        }
        if (ex instanceof DirectoryNotEmptyException)
        {
            return "directory not empty: " + ex.getMessage();
        }
        if (ex instanceof FileSystemException)
        {
            final FileSystemException fse = (FileSystemException)ex;
            return fse.getFile() + ": " + (fse.getReason() != null ? fse.getReason() : ex.getClass().getSimpleName());
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    }
}
