package io.decide.jni;

import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build check that keeps the C header and Java in step: it parses {@code decide.h} and fails when its
 * {@code DECIDE_E_*} codes differ from {@link DecideError}, when an engine {@link DecisionStatus} has no code, when
 * {@code decide_strerror} in {@code decide.c} misses a code, or when the {@code DECIDE_KIND_*} ids differ from
 * {@link DecisionKind}.
 */
final class DecideErrorSyncTest
{
    private static final Path SOURCES = Path.of("src", "main", "c");
    private static final Pattern DEFINE =
        Pattern.compile("^#define\\s+(DECIDE_E_\\w+)\\s+\\((-\\d+)\\)", Pattern.MULTILINE);
    private static final Pattern KIND = Pattern.compile("^#define\\s+DECIDE_KIND_(\\w+)\\s+(\\d+)", Pattern.MULTILINE);

    @Test
    void headerCodesEqualTheEnum() throws IOException
    {
        final Map<String, Integer> header = new TreeMap<>();
        final Matcher m = DEFINE.matcher(Files.readString(SOURCES.resolve("decide.h")));
        while (m.find())
        {
            header.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        final Map<String, Integer> java = new TreeMap<>();
        for (final DecideError error : DecideError.values())
        {
            java.put(error.macroName(), error.code());
        }
        assertEquals(java, header, "decide.h and io.decide.jni.DecideError disagree; change both together");
        assertTrue(Files.readString(SOURCES.resolve("decide.h")).contains("#define DECIDE_OK                     0"));
    }

    @Test
    void everyEngineStatusHasACodeOfTheSameName() throws IllegalAccessException
    {
        int statuses = 0;
        for (final Field field : DecisionStatus.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class &&
                !field.getName().equals("OK") && !field.getName().equals("ENGINE_LIMIT"))
            {
                final int status = field.getInt(null);
                final DecideError error = DecideError.ofStatus(status);
                assertNotNull(error, () -> "DecisionStatus." + field.getName() + " has no DECIDE_E_ code");
                assertEquals(field.getName(), error.name());
                assertEquals(-status, error.code());
                assertTrue(error.code() > DecideError.HOST_CODE_BASE);
                statuses++;
            }
        }
        assertEquals(DecisionStatus.ENGINE_LIMIT - 1, statuses);
    }

    @Test
    void strerrorNamesEveryCode() throws IOException
    {
        final String c = Files.readString(SOURCES.resolve("decide.c"));
        for (final DecideError error : DecideError.values())
        {
            assertTrue(c.contains("case " + error.macroName() + ": return \"" + error.macroName() + "\";"),
                () -> "decide_strerror misses " + error.macroName());
        }
    }

    @Test
    void kindIdsEqualDecisionKind() throws IOException
    {
        final Matcher m = KIND.matcher(Files.readString(SOURCES.resolve("decide.h")));
        final Map<String, Integer> header = new TreeMap<>();
        while (m.find())
        {
            header.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        final Map<String, Integer> java = new TreeMap<>();
        for (final DecisionKind kind : DecisionKind.values())
        {
            java.put(kind == DecisionKind.GBDT_PREDICT ? "PREDICT" : kind.name(), kind.id());
        }
        assertEquals(java, header);
    }
}
