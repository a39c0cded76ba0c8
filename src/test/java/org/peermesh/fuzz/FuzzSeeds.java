package org.peermesh.fuzz;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peermesh.bitcoin.wire.AddrMessage;
import org.peermesh.bitcoin.wire.AddrV2Entry;
import org.peermesh.bitcoin.wire.AddrV2Message;
import org.peermesh.bitcoin.wire.Bip155Network;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BlockHeader;
import org.peermesh.bitcoin.wire.BlockMessage;
import org.peermesh.bitcoin.wire.FeeFilterMessage;
import org.peermesh.bitcoin.wire.GetAddrMessage;
import org.peermesh.bitcoin.wire.GetBlocksMessage;
import org.peermesh.bitcoin.wire.GetDataMessage;
import org.peermesh.bitcoin.wire.GetHeadersMessage;
import org.peermesh.bitcoin.wire.HeadersMessage;
import org.peermesh.bitcoin.wire.InvMessage;
import org.peermesh.bitcoin.wire.InventoryItem;
import org.peermesh.bitcoin.wire.InventoryType;
import org.peermesh.bitcoin.wire.MempoolMessage;
import org.peermesh.bitcoin.wire.NetworkAddress;
import org.peermesh.bitcoin.wire.NotFoundMessage;
import org.peermesh.bitcoin.wire.PingMessage;
import org.peermesh.bitcoin.wire.PongMessage;
import org.peermesh.bitcoin.wire.RawMessage;
import org.peermesh.bitcoin.wire.RejectMessage;
import org.peermesh.bitcoin.wire.SendAddrV2Message;
import org.peermesh.bitcoin.wire.SendCmpctMessage;
import org.peermesh.bitcoin.wire.SendHeadersMessage;
import org.peermesh.bitcoin.wire.Sha256Hash;
import org.peermesh.bitcoin.wire.TimestampedAddress;
import org.peermesh.bitcoin.wire.Transaction;
import org.peermesh.bitcoin.wire.TransactionInput;
import org.peermesh.bitcoin.wire.TransactionOutput;
import org.peermesh.bitcoin.wire.TxMessage;
import org.peermesh.bitcoin.wire.VerackMessage;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bitcoin.wire.WtxidRelayMessage;
import org.peermesh.wire.AppMessage;
import org.peermesh.wire.Auth;
import org.peermesh.wire.Disconnect;
import org.peermesh.wire.Hello;
import org.peermesh.wire.JsonPayload;
import org.peermesh.wire.NodeInfoUpdate;
import org.peermesh.wire.Ping;
import org.peermesh.wire.Pong;
import org.peermesh.wire.Request;
import org.peermesh.wire.Response;
import org.peermesh.wire.WireCodec;
import org.peermesh.wire.WireMessage;

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
  private static final Sha256Hash HASH_A =
      Sha256Hash.fromHex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  private static final Sha256Hash HASH_B =
      Sha256Hash.fromHex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");

  private FuzzSeeds() {
  }

  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
    write(resources, "org/peermesh/fuzz/MeshFrameFuzzInputs/framesAndMessages", meshSeeds());
    write(resources, "org/peermesh/fuzz/JsonPayloadFuzzInputs/parse", jsonSeeds());
    write(resources, "org/peermesh/fuzz/BitcoinMessagesFuzzInputs/decode", bitcoinPayloadSeeds());
    write(resources, "org/peermesh/fuzz/BitcoinFrameFuzzInputs/framesAndMessages", bitcoinStreamSeeds(true));
    write(resources, "org/peermesh/bitcoin/peer/BitcoinCodecFuzzInputs/decode", bitcoinStreamSeeds(false));
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

  /** Every message kind, a handshake first; edge values as in the codec's own tests. */
  static List<BitcoinMessage> bitcoinSamples() {
    List<InventoryItem> inventory = List.of(new InventoryItem(InventoryType.MSG_WITNESS_BLOCK, HASH_A),
        new InventoryItem(InventoryType.MSG_TX, HASH_B), new InventoryItem(0x80000007, HASH_B));
    Transaction segwit = new Transaction(2,
        List.of(new TransactionInput(HASH_A, 0, bytes("483045"), 0xFFFF_FFFEL, List.of()),
            new TransactionInput(HASH_B, 7, new byte[0], 0xFFFF_FFFFL, List.of(bytes("3044022001"), new byte[0]))),
        List.of(new TransactionOutput(50_000, bytes("0014751e76e8199196d454941c45d1b3a323f1433bd6")),
            new TransactionOutput(0, bytes("6a"))),
        0xFFFF_FFFFL);
    Transaction coinbase = new Transaction(1, List.of(new TransactionInput(Sha256Hash.ZERO, 0xFFFF_FFFFL,
        bytes("04ffff001d0104"), 0xFFFF_FFFFL, List.of())), List.of(new TransactionOutput(5_000_000_000L, bytes("ac"))), 0);
    BlockHeader header = new BlockHeader(0x20000000, HASH_A, HASH_B, 0xFFFF_FFFFL, 0x1d00ffffL, 0x8000_0000L);
    return List.of(
        new VersionMessage(70016, 0x409, 1_700_000_000L, NetworkAddress.of(0, "127.0.0.1", 8333),
            NetworkAddress.of(Long.MIN_VALUE, "2001:db8::1", 18444), -1L, "/PeerMesh:0.1.0/", 800_000, false),
        new VerackMessage(),
        new SendAddrV2Message(),
        new WtxidRelayMessage(),
        new VersionMessage(31900, 1, 0, NetworkAddress.of(1, "10.0.0.1", 8333), NetworkAddress.of(1, "10.0.0.2", 8333),
            0x1357B43A2C209DDDL, "", 98645, true),
        new PingMessage(-1L),
        new PongMessage(0x8000_0000_0000_0000L),
        new GetAddrMessage(),
        new AddrMessage(List.of(new TimestampedAddress(0, NetworkAddress.of(1, "1.2.3.4", 8333)),
            new TimestampedAddress(0xFFFF_FFFFL, NetworkAddress.of(-1L, "fc00::1", 65535)))),
        new AddrV2Message(List.of(
            new AddrV2Entry(1, 1, Bip155Network.IPV4, bytes("01020304"), 8333),
            new AddrV2Entry(2, 1L << 40, Bip155Network.IPV6, bytes("20010db8000000000000000000000001"), 8333),
            new AddrV2Entry(3, 0, Bip155Network.TORV2, bytes("f1f2f3f4f5f6f7f8f9fa"), 9050),
            new AddrV2Entry(4, -1L, Bip155Network.TORV3,
                bytes("79bcc625184b05194975c28b66b66b0469f7f6556fb1ac3189a79b40dda32f1f"), 8333),
            new AddrV2Entry(5, 0x448, Bip155Network.I2P,
                bytes("a2894dabaec08c0051a481a6dac88b64f98232ae42d4b6fd2fa81952dfe36a87"), 0),
            new AddrV2Entry(6, 0, Bip155Network.CJDNS, bytes("fc000001000200030004000500060007"), 8333),
            new AddrV2Entry(7, 0, 0xaa, bytes("0102030405"), 1))),
        new InvMessage(inventory),
        new GetDataMessage(inventory.subList(0, 1)),
        new NotFoundMessage(List.of()),
        new SendHeadersMessage(),
        new GetHeadersMessage(70016, List.of(HASH_A, HASH_B), Sha256Hash.ZERO),
        new GetBlocksMessage(0xFFFF_FFFFL, List.of(), HASH_B),
        new HeadersMessage(List.of(header, new BlockHeader(1, Sha256Hash.ZERO, HASH_B, 1231006505, 0x1d00ffff,
            2083236893))),
        new BlockMessage(header, List.of(coinbase, segwit)),
        new TxMessage(segwit),
        new TxMessage(new Transaction(1, List.of(), List.of(), 0)),
        new SendCmpctMessage(true, 2),
        new FeeFilterMessage(1000),
        new MempoolMessage(),
        new RejectMessage("tx", 0x10, "bad-txns-inputs-missingorspent", HASH_B.bytes()),
        new RawMessage("cmpctblock", Buffer.buffer(bytes("00112233"))));
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
