package org.peermesh.examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Java example runs, and the README shows exactly its code. */
@ExtendWith(VertxExtension.class)
class ReadmeJavaExampleTest {

  private static final Path SOURCE = Path.of("src/test/java/org/peermesh/examples/ReadmeJavaExample.java");

  @Test
  void bGetsAsHeightAndBothNodesAreUndeployed(Vertx vertx, @TempDir Path dir) {
    List<String> lines = new CopyOnWriteArrayList<>();
    assertEquals(42, TestNodes.await(ReadmeJavaExample.run(vertx, dir, lines::add)));
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(" says {\"text\":\"hello\"}")), lines.toString());
    assertTrue(lines.contains("a's height: 42"), lines.toString());
    assertEquals(Set.of(), vertx.deploymentIDs());
  }

  @Test
  void theReadmeShowsTheExamplesCode() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("\n## Using the node from Java\n"),
        readme.indexOf("\n## The event-bus API\n"));
    assertTrue(section.contains("```java\n" + Files.readString(SOURCE) + "```\n"),
        "the README's section 'Using the node from Java' is to show " + SOURCE + " as it is, in a java block");
  }
}
