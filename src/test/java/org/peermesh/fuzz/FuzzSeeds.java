package org.peermesh.fuzz;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.AntelopeSamples;
import org.peermesh.antelope.wire.AntelopeVectors;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.PingMessage;
import org.peermesh.bitcoin.wire.SampleMessages;
import org.peermesh.bitcoin.wire.SendAddrV2Message;
import org.peermesh.bitcoin.wire.VerackMessage;
import org.peermesh.bitcoin.wire.WtxidRelayMessage;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;
import org.peermesh.devp2p.rlpx.RlpxSamples;
import org.peermesh.devp2p.discovery.Discv4Packet;
import org.peermesh.devp2p.discovery.Discv4Packets;
import org.peermesh.devp2p.discovery.Discv4Vectors;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Auth;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.NodeInfoUpdate;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.Pong;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the fuzz tests' seed inputs: valid frames and payloads of every kind, in the format of each fuzz test (see
 * {@link Fuzzing}), into {@code <Class>Inputs/<method>/} under the given test resources directory. Jazzer replays them
 * as regression inputs and starts fuzzing from them; {@link FuzzSeedsTest} checks that each still decodes. Run again
 * after a format change, from the project directory:
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java -cp target/test-classes:target/classes:$(cat target/test.cp) org.peermesh.fuzz.FuzzSeeds src/test/resources
 * </pre>
 *
 * Crash inputs that Jazzer found are kept beside the seeds under names of their own ({@code crash-*}); this does not
 * touch them.
 */
public final class FuzzSeeds {

  private static final HexFormat HEX = HexFormat.of();

  private FuzzSeeds() {
  }

  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
    write(resources, "org/peermesh/fuzz/MeshFrameFuzzInputs/framesAndMessages", meshSeeds());
    write(resources, "org/peermesh/fuzz/JsonPayloadFuzzInputs/parse", jsonSeeds());
    write(resources, "org/peermesh/fuzz/BitcoinMessagesFuzzInputs/decode", bitcoinPayloadSeeds());
    write(resources, "org/peermesh/fuzz/BitcoinFrameFuzzInputs/framesAndMessages", bitcoinStreamSeeds(true));
    write(resources, "org/peermesh/bitcoin/peer/BitcoinCodecFuzzInputs/decode", bitcoinStreamSeeds(false));
    write(resources, "org/peermesh/fuzz/AntelopeFrameFuzzInputs/framesAndMessages", antelopeStreamSeeds());
    write(resources, "org/peermesh/fuzz/RlpFuzzInputs/decode", rlpSeeds());
    write(resources, "org/peermesh/fuzz/RlpxFrameFuzzInputs/framesAndSnappy", rlpxSeeds());
    write(resources, "org/peermesh/fuzz/Discv4PacketFuzzInputs/decode", discv4Seeds());
    write(resources, "org/peermesh/devp2p/peer/Devp2pSessionFuzzInputs/frames", devp2pSessionSeeds());
  }

  private static void write(Path resources, String directory, Map<String, byte[]> seeds) throws IOException {
    Path dir = resources.resolve(directory);
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
    }
  }

  static Map<String, byte[]> meshSeeds() {
    byte[] key = bytes("02" + "01".repeat(32));
    byte[] nonce = bytes("a0".repeat(32));
    JsonPayload nested = JsonPayload.of(new JsonObject()
        .put("a", new JsonObject().put("b", new JsonArray().add(1).add(new JsonObject().putNull("c"))))
        .put("d", 1.5).put("ключ", "значение 🚀").put("big", new BigInteger("123456789012345678901234567890")));
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("handshake-one-read", meshStream(0, new Hello("peermesh-test", "1.0", key, nonce, 4001),
        new Auth(new byte[64], JsonPayload.of(new JsonObject().put("name", "alpha").put("port", 4001)))));
    seeds.put("traffic-small-reads", meshStream(5, new Ping(0x0123456789abcdefL), new Pong(-1),
        new AppMessage("chat/größe", nested), new Request(7, "echo", JsonPayload.of(new JsonArray().add("x"))),
        Response.success(7, JsonPayload.of("pong")), Response.failure(8, 404, "no such procedure: nope"),
        new NodeInfoUpdate(JsonPayload.of(new JsonObject().put("height", 1))), new Disconnect(1000, "до свидания ✓")));
    byte[] unfinished = meshStream(1, new AppMessage("e", JsonPayload.of(null)), new Ping(1),
        new AppMessage("tail", JsonPayload.of("cut off")));
    seeds.put("byte-reads-unfinished-tail", Arrays.copyOf(unfinished, unfinished.length - 3));
    return seeds;
  }

  private static byte[] meshStream(int plan, WireMessage... messages) {
    Buffer stream = Buffer.buffer().appendByte((byte) plan);
    for (WireMessage message : messages) {
      WireCodec.encodeTo(message, stream);
    }
    return stream.getBytes();
  }

  static Map<String, byte[]> jsonSeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("object", utf8("{\"name\":\"alpha\",\"port\":4001,\"roles\":[\"relay\",null,true,false],\"o\":{}}"));
    seeds.put("spaced-array", utf8(" [ 1 , -2.5e-3 , 12345678901234567890123 , [ ] , { \"k\" : [ { } ] } ]\n"));
    seeds.put("string-escapes", utf8("\"tab\\t quote\\\" \\u00e9 \\ud83d\\ude80 ключ 🚀 \\/\""));
    seeds.put("number", utf8("-0.125E+2"));
    seeds.put("literal", utf8("\r\n\ttrue "));
    int objects = JsonPayload.MAX_DEPTH / 2;
    int arrays = JsonPayload.MAX_DEPTH - objects;
    seeds.put("nested-to-the-limit", utf8("{\"k\":".repeat(objects) + "[".repeat(arrays) + "\"\\ud83d\\ude80\""
        + "]".repeat(arrays) + "}".repeat(objects)));
    return seeds;
  }

  /** One payload per command, known and unknown; the first byte picks the command as BitcoinMessagesFuzz does. */
  static Map<String, byte[]> bitcoinPayloadSeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    for (BitcoinMessage message : bitcoinSamples()) {
      String name = message.command();
      for (int i = 2; seeds.containsKey(name); i++) {
        name = message.command() + "-" + i;
      }
      Buffer payload = message.payload();
      seeds.put(name, Buffer.buffer().appendByte((byte) BitcoinStream.COMMANDS.indexOf(message.command()))
          .appendBuffer(payload).getBytes());
    }
    return seeds;
  }

  /**
   * Streams of frames as {@link BitcoinStream} segments: a handshake read whole, traffic in small reads, and (for the
   * frame decoder alone, since the codec ends a connection that does not start with a frame) garbage around frames.
   */
  static Map<String, byte[]> bitcoinStreamSeeds(boolean withGarbage) {
    List<BitcoinMessage> samples = bitcoinSamples();
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("handshake-one-read", bitcoinStream(0, samples.subList(0, 4)));
    seeds.put("traffic-small-reads", bitcoinStream(7, samples.subList(4, 14)));
    seeds.put("blocks-byte-reads", bitcoinStream(1, samples.subList(14, 18)));
    seeds.put("rest-one-read", bitcoinStream(0, samples.subList(18, samples.size())));
    if (withGarbage) {
      ByteArrayOutputStream seed = new ByteArrayOutputStream();
      seed.write(3);
      BitcoinStream.appendRaw(seed, bytes("00fabfb5"));                  // a partial magic, then the real one
      BitcoinStream.appendFrame(seed, "ping", new PingMessage(42).payload());
      BitcoinStream.appendRaw(seed, bytes("f9beb4d9" + "70696e67".repeat(3))); // another network's magic
      BitcoinStream.appendFrame(seed, "verack", Buffer.buffer());
      seeds.put("garbage-around-frames", seed.toByteArray());
    }
    return seeds;
  }

  private static byte[] bitcoinStream(int plan, List<BitcoinMessage> messages) {
    ByteArrayOutputStream seed = new ByteArrayOutputStream();
    seed.write(plan);
    messages.forEach(message -> BitcoinStream.appendFrame(seed, message.command(), message.payload()));
    return seed.toByteArray();
  }

  /**
   * The codec's own samples ({@link SampleMessages}), a handshake first, and only commands the fuzz tests pick
   * ({@link BitcoinStream#COMMANDS}).
   */
  static List<BitcoinMessage> bitcoinSamples() {
    List<BitcoinMessage> samples = new ArrayList<>(List.of(SampleMessages.version(), new VerackMessage(),
        new SendAddrV2Message(), new WtxidRelayMessage()));
    SampleMessages.all().stream()
        .filter(message -> !samples.contains(message) && BitcoinStream.COMMANDS.contains(message.command()))
        .forEach(samples::add);
    return samples;
  }

  /**
   * Antelope streams: the shared vectors' frames (a handshake read whole, every vector that decodes in byte reads) and
   * the codec's own samples of every type in small reads.
   */
  static Map<String, byte[]> antelopeStreamSeeds() {
    List<JsonObject> vectors = AntelopeVectors.vectors().stream().filter(AntelopeVectors::decodes).toList();
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("handshake-one-read", antelopeStream(0, List.of(AntelopeVectors.named("handshake_signed"),
        AntelopeVectors.named("time_ping"))));
    seeds.put("vectors-byte-reads", antelopeStream(1, vectors));
    Buffer samples = Buffer.buffer().appendByte((byte) 7);
    AntelopeSamples.all().forEach(message -> AntelopeMessages.encode(message, samples));
    seeds.put("samples-small-reads", samples.getBytes());
    return seeds;
  }

  /**
   * discv4 datagrams, one per seed: the published ones (EIP-8's five, go-ethereum's plain ping), then our samples of
   * every packet type signed with EIP-8's key A.
   */
  static Map<String, byte[]> discv4Seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    List<String> published = Discv4Vectors.published();
    for (int i = 0; i < published.size(); i++) {
      seeds.put("published-" + i, bytes(published.get(i)));
    }
    List<Discv4Packet> samples = Discv4Vectors.samples();
    for (int i = 0; i < samples.size(); i++) {
      Discv4Packet sample = samples.get(i);
      seeds.put("sample-" + i + "-type-" + sample.type(), Discv4Packets.encode(sample, Discv4Vectors.KEY_A));
    }
    return seeds;
  }

  private static byte[] antelopeStream(int plan, List<JsonObject> vectors) {
    Buffer stream = Buffer.buffer().appendByte((byte) plan);
    vectors.forEach(vector -> stream.appendBuffer(AntelopeVectors.envelope(vector)));
    return stream.getBytes();
  }

  /**
   * RLP items of every form: short and long strings and lists, integers, nesting near the depth limit, and an EIP-8
   * Hello (ethereum/EIPs EIPS/eip-8.md) with its extra elements.
   */
  static Map<String, byte[]> rlpSeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("strings", Rlp.encode(RlpList.of(RlpString.EMPTY, RlpString.of(new byte[] {0}), RlpString.of(0x7fL),
        RlpString.of(0x80L), RlpString.of("dog"), RlpString.of("a".repeat(55)), RlpString.of("b".repeat(56)),
        RlpString.of("c".repeat(300)), RlpString.of(-1L),
        RlpString.of(BigInteger.ONE.shiftLeft(256)))));
    RlpItem nested = RlpList.of(RlpString.of("deep"));
    for (int depth = 1; depth < Rlp.MAX_DEPTH; depth++) {
      nested = RlpList.of(nested, RlpList.EMPTY);
    }
    seeds.put("nested-to-the-limit", Rlp.encode(nested));
    seeds.put("long-list", Rlp.encode(RlpList.of(RlpList.of(RlpString.of("asdf"), RlpString.of("qwer")),
        RlpString.of("x".repeat(60)), RlpList.of(RlpList.EMPTY, RlpList.of(RlpList.EMPTY)))));
    seeds.put("eip8-hello", bytes("f87137916b6e6574682f76302e39312f706c616e39cdc5836574683dc6846d6f726b1682270fb840"
        + "fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569"
        + "bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877c883666f6f836261720304"));
    return seeds;
  }

  /** The EIP-8 session's first frames from A ({@link RlpxSamples}) read whole, in small reads and byte by byte. */
  static Map<String, byte[]> rlpxSeeds() {
    byte[] frames = RlpxSamples.framesFromA();
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    for (int plan : new int[] {0, 7, 1}) {
      byte[] seed = new byte[1 + frames.length];
      seed[0] = (byte) plan;
      System.arraycopy(frames, 0, seed, 1, frames.length);
      seeds.put(plan == 0 ? "frames-one-read" : plan == 1 ? "frames-byte-reads" : "frames-small-reads", seed);
    }
    return seeds;
  }

  /**
   * Devp2pSessionFuzz's messages (a plan byte, a limit byte, then code, 2-byte length, body each): a v5 Hello and
   * snappy traffic after it, a Disconnect compressed and plain, read whole, in small reads and byte by byte; a v4
   * Hello and plain traffic after it.
   */
  static Map<String, byte[]> devp2pSessionSeeds() {
    byte[] id = new byte[64];
    Arrays.fill(id, (byte) 0x11);
    byte[] v5 = new org.peermesh.devp2p.base.HelloMessage(5, "peermesh/test",
        List.of(new org.peermesh.devp2p.base.Capability("eth", 68)), 0, id).encode();
    byte[] v4 = new org.peermesh.devp2p.base.HelloMessage(4, "peermesh/test",
        List.of(new org.peermesh.devp2p.base.Capability("eth", 68)), 30303, id).encode();
    byte[] emptyList = Rlp.encode(RlpList.EMPTY);
    byte[] status = Rlp.encode(RlpList.of(RlpString.of(68), RlpString.of(1), RlpString.of("x".repeat(100))));
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    for (int plan : new int[] {0, 7, 1}) {
      ByteArrayOutputStream seed = new ByteArrayOutputStream();
      seed.write(plan);
      seed.write(0xFF);
      sessionMessage(seed, 0x00, v5);
      sessionMessage(seed, 0x02, org.peermesh.devp2p.rlpx.SnappyCodec.compress(emptyList));
      sessionMessage(seed, 0x10, org.peermesh.devp2p.rlpx.SnappyCodec.compress(status));
      sessionMessage(seed, 0x01, org.peermesh.devp2p.rlpx.SnappyCodec.compress(bytes("c103")));
      sessionMessage(seed, 0x01, bytes("c104"));
      seeds.put(plan == 0 ? "v5-one-read" : plan == 1 ? "v5-byte-reads" : "v5-small-reads", seed.toByteArray());
    }
    ByteArrayOutputStream seed = new ByteArrayOutputStream();
    seed.write(5);
    seed.write(0x0F);
    sessionMessage(seed, 0x00, v4);
    sessionMessage(seed, 0x10, status);
    sessionMessage(seed, 0x03, emptyList);
    seeds.put("v4-plain", seed.toByteArray());
    return seeds;
  }

  private static void sessionMessage(ByteArrayOutputStream seed, int code, byte[] body) {
    seed.write(code);
    seed.write(body.length >>> 8);
    seed.write(body.length);
    seed.writeBytes(body);
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
