package org.peermesh.cli;

import org.junit.jupiter.api.Test;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker files agree with the container config they run, {@code docker/node.json}: no Docker engine runs here,
 * and {@code docker-compose config} in {@code .ci/run} checks the compose file's syntax, not what it means for the
 * node.
 */
class DockerFilesTest {

  private static final Path CONFIG = Path.of("docker", "node.json");
  private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
  private static final Path COMPOSE = Path.of("docker", "compose.yml");
  /** Where the image keeps the config, its default command's. */
  private static final String CONFIG_IN_IMAGE = "/etc/peermesh/node.json";
  /** Where the image keeps a node's state, the volume's mount point. */
  private static final Path VOLUME = Path.of("/data");

  private final NodeOptions options = NodeOptions.fromFile(CONFIG);

  /** In a container, a listener on 127.0.0.1 is reached by nothing outside it, published ports included. */
  @Test
  void theContainerConfigListensOnEveryInterfaceAndKeepsItsStateInTheVolume() {
    assertEquals("0.0.0.0", options.getMesh().getListen().host());
    assertEquals("0.0.0.0", options.getBridge().listenAddress().host());
    assertEquals("0.0.0.0", options.getHttp().getHost());
    assertTrue(Path.of(options.getDataDir()).startsWith(VOLUME), options.getDataDir());
    assertTrue(options.keyFilePath().startsWith(VOLUME), options.keyFilePath().toString());
  }

  @Test
  void theImageRunsTheConfigExposesItsPortsAndChecksItsHealthEndpoint() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    assertTrue(dockerfile.contains("COPY " + CONFIG + " " + CONFIG_IN_IMAGE + "\n"), dockerfile);
    assertTrue(dockerfile.contains("CMD [\"node\", \"--conf\", \"" + CONFIG_IN_IMAGE + "\"]"), dockerfile);

    Set<Integer> exposed = Arrays.stream(line(dockerfile, "EXPOSE ").split(" ")).skip(1).map(Integer::valueOf)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(Set.of(options.getMesh().getListen().port(), options.getBridge().listenAddress().port(),
        options.getHttp().getPort())), exposed);

    // The check asks the default URL, which must be the config's HTTP port on the container's loopback.
    assertTrue(dockerfile.contains("\"-jar\", \"/opt/peermesh/peermesh.jar\", \"health\"]"), dockerfile);
    URI checked = URI.create(HealthCommand.DEFAULT_URL);
    assertEquals(options.getHttp().getPort(), checked.getPort());
    assertEquals("127.0.0.1", checked.getHost());
  }

  /** One image for every service: one builds it, all run it by its name; the seeds are the services. */
  @Test
  void theComposeMeshBuildsOneImageAndSeedsFromItsServices() throws IOException {
    String compose = Files.readString(COMPOSE);
    List<String> services = new ArrayList<>();
    Matcher service = Pattern.compile("(?m)^  ([a-z0-9-]+):$").matcher(compose.substring(compose.indexOf(
        "\nservices:\n"), compose.indexOf("\nvolumes:\n")));
    while (service.find()) {
      services.add(service.group(1));
    }
    assertEquals(services.size(), count(compose, "\n    image: peermesh\n"), compose);
    assertEquals(1, count(compose, "\n    build:\n"), compose);
    assertEquals(services, options.getMesh().getSeedPeers().stream().map(PeerAddress::host).toList());
    options.getMesh().getSeedPeers().forEach(seed -> assertEquals(options.getMesh().getListen().port(), seed.port()));
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(
        "no line starting with '" + prefix + "'"));
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
