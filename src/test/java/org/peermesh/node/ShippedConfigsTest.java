package org.peermesh.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every node config the project ships, in {@code conf/} and {@code docker/}, loads as a node loads it (every key
 * known, every value in range): a key renamed in the code and not in a file breaks the build, not a user's start.
 */
class ShippedConfigsTest {

  private static final List<Path> DIRECTORIES = List.of(Path.of("conf"), Path.of("docker"));

  static List<Path> shippedConfigs() throws IOException {
    List<Path> configs = new ArrayList<>();
    for (Path directory : DIRECTORIES) {
      try (Stream<Path> files = Files.walk(directory)) {
        files.filter(file -> file.toString().endsWith(".json")).sorted().forEach(configs::add);
      }
    }
    return configs;
  }

  @ParameterizedTest
  @MethodSource("shippedConfigs")
  void loadsAsTheNodeLoadsIt(Path config) {
    NodeOptions.fromFile(config);
  }

  /** The walk finds the files at all: a moved directory would otherwise leave nothing to check. */
  @Test
  void theWalkFindsTheKnownConfigs() throws IOException {
    List<Path> found = shippedConfigs();
    for (String known : List.of("conf/node.json", "conf/cluster/member1.json", "docker/node.json")) {
      assertTrue(found.contains(Path.of(known)), known + " in " + found);
    }
  }
}
