package org.peermesh.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test that starts a foreign implementation is tagged {@link Interop}, so that {@code mvn -B verify
 * -Dinterop=false} runs the rest on Java and Maven alone, without Node.js, npm or microsocks: a test source that
 * calls one of the harnesses' entry points (or runs install.sh or a process of its own through them) must carry
 * {@code @Interop}, on its class or on the methods that use them. Paths are relative to the repository root, where
 * the tests run.
 */
class InteropTagTest {

  private static final Path TESTS = Path.of("src", "test", "java");
  /** The ways a test reaches a foreign implementation: each harness's start, and what they are built on. */
  private static final Pattern FOREIGN = Pattern.compile("\\b(BcoinNode\\.start|Microsocks\\.start|"
      + "EthereumjsPeer\\.start|DptNode\\.start|WharfkitClient\\.connect|NodeosStandin\\.start|MeshViewPage\\.start|"
      + "JsonLinesProcess\\.start|InteropInstall\\.run|new ForeignProcess|new LiskP2p|new LiskScenario)\\b");
  private static final Pattern TEST_METHOD = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory|"
      + "FuzzTest)\\b");

  @Test
  void everyTestThatStartsAForeignImplementationIsTaggedInterop() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(TESTS)) {
      sources = files.filter(file -> file.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    List<String> untagged = sources.stream()
        .filter(file -> {
          String text = read(file);
          return TEST_METHOD.matcher(text).find() && FOREIGN.matcher(text).find() && !text.contains("@Interop");
        })
        .map(Path::toString)
        .collect(Collectors.toList());
    assertEquals(List.of(), untagged, "tests that start a foreign implementation without @Interop");
    // The scan sees the interop tests at all (the working directory is the repository root, the patterns match).
    assertTrue(sources.stream().anyMatch(file -> file.endsWith("BcoinInteropTest.java")
        && FOREIGN.matcher(read(file)).find()), "BcoinInteropTest not found under " + TESTS.toAbsolutePath());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
