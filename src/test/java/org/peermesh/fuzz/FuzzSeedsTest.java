package org.peermesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.peermesh.bitcoin.peer.BitcoinCodecFuzz;
import org.peermesh.bitcoin.wire.BitcoinMessages;
import org.peermesh.devp2p.peer.Devp2pSessionFuzz;

/**
 * The fuzz tests' seeds reach the decoders' success paths, so that replaying them (Jazzer's regression mode, and the
 * start of every fuzzing run) means something: each seed decodes to at least one message. Runs the fuzz targets' code
 * directly, without Jazzer, with the unit tests. A crash input kept as a regression ({@code crash-*}) need not decode.
 */
class FuzzSeedsTest {

  @Test
  void meshSeedsDecode() throws Exception {
    assertEverySeed(MeshFrameFuzz.class, "framesAndMessages", MeshFrameFuzz::run);
  }

  @Test
  void jsonSeedsParse() throws Exception {
    assertEverySeed(JsonPayloadFuzz.class, "parse", data -> JsonPayloadFuzz.run(data) ? 1 : 0);
  }

  @Test
  void bitcoinPayloadSeedsDecodeForEveryCommand() throws Exception {
    List<byte[]> seeds = assertEverySeed(BitcoinMessagesFuzz.class, "decode", data -> BitcoinMessagesFuzz.run(data) ? 1 : 0);
    Set<String> commands = seeds.stream()
        .map(seed -> BitcoinStream.COMMANDS.get((seed[0] & 0xFF) % BitcoinStream.COMMANDS.size()))
        .collect(Collectors.toSet());
    assertTrue(commands.containsAll(BitcoinMessages.knownCommands()), () -> "seeds only for " + commands);
  }

  @Test
  void bitcoinStreamSeedsDecode() throws Exception {
    assertEverySeed(BitcoinFrameFuzz.class, "framesAndMessages", BitcoinFrameFuzz::run);
  }

  @Test
  void bitcoinCodecSeedsDecode() throws Exception {
    assertEverySeed(BitcoinCodecFuzz.class, "decode", BitcoinCodecFuzz::run);
  }

  @Test
  void antelopeStreamSeedsDecode() throws Exception {
    assertEverySeed(AntelopeFrameFuzz.class, "framesAndMessages", AntelopeFrameFuzz::run);
  }

  @Test
  void rlpSeedsDecode() throws Exception {
    assertEverySeed(RlpFuzz.class, "decode", data -> RlpFuzz.run(data) ? 1 : 0);
  }

  @Test
  void rlpxSeedsDecode() throws Exception {
    assertEverySeed(RlpxFrameFuzz.class, "framesAndSnappy", RlpxFrameFuzz::run);
  }

  @Test
  void discv4SeedsDecode() throws Exception {
    assertEverySeed(Discv4PacketFuzz.class, "decode", Discv4PacketFuzz::run);
  }

  @Test
  void devp2pSessionSeedsDecode() throws Exception {
    assertEverySeed(Devp2pSessionFuzz.class, "frames", Devp2pSessionFuzz::run);
  }

  private static List<byte[]> assertEverySeed(Class<?> fuzzTest, String method, ToIntFunction<byte[]> target)
      throws IOException, URISyntaxException {
    URL url = fuzzTest.getResource(fuzzTest.getSimpleName() + "Inputs/" + method);
    assertNotNull(url, "no seed directory for " + fuzzTest.getSimpleName() + "." + method);
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of(url.toURI()))) {
      files = list.sorted().collect(Collectors.toList());
    }
    List<Path> seeds = files.stream().filter(file -> file.getFileName().toString().startsWith("seed-"))
        .collect(Collectors.toList());
    assertFalse(seeds.isEmpty(), "no seeds in " + url);
    for (Path file : files) {
      int decoded = target.applyAsInt(Files.readAllBytes(file)); // a crash input must not fail either
      if (seeds.contains(file)) {
        assertTrue(decoded > 0, () -> file + " decodes to nothing");
      }
    }
    List<byte[]> bytes = new ArrayList<>();
    for (Path seed : seeds) {
      bytes.add(Files.readAllBytes(seed));
    }
    return bytes;
  }
}
