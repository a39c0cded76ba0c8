package org.peermesh.bus;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames the bridge cannot act on, from a plain socket: every one is answered with an err frame naming the problem
 * and logged in one line; only what breaks the framing costs the client its connection.
 */
@ExtendWith(VertxExtension.class)
class BridgeBadFramesTest {

  private static final String NOT_JSON = "invalid frame: not a JSON object in UTF-8";

  private TestNodes nodes;
  private PeerMeshNode node;
  private int port;
  private final List<BridgeClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    nodes = new TestNodes(vertx, dir);
    port = TestNodes.freePort();
    node = nodes.start(nodes.options().setBridge(new BridgeOptions().setPort(port)));
  }

  @AfterEach
  void tearDown() {
    clients.forEach(BridgeClient::close);
    nodes.close();
  }

  private BridgeClient connect() {
    BridgeClient client = BridgeClient.connect("127.0.0.1", port);
    clients.add(client);
    return client;
  }

  @Test
  void aJsonObjectTheBridgeCannotActOnIsAnsweredNamingTheProblemAndTheConnectionStays() {
    String peers = node.addresses().peers();
    Map<JsonObject, String> answers = new LinkedHashMap<>();
    answers.put(new JsonObject(), "missing_type");
    answers.put(new JsonObject().put("type", 7), "invalid frame: 'type' must be a string");
    answers.put(new JsonObject().put("type", "sned").put("address", peers), "unknown_type");
    answers.put(new JsonObject().put("type", "send"), "missing_address");
    answers.put(new JsonObject().put("type", "send").put("address", 7), "invalid frame: 'address' must be a string");
    answers.put(new JsonObject().put("type", "send").put("address", "other.address"), "access_denied");
    answers.put(new JsonObject().put("type", "publish").put("address", "other.address"), "access_denied");
    answers.put(new JsonObject().put("type", "register").put("address", peers), "access_denied");
    answers.put(new JsonObject().put("type", "unregister").put("address", node.addresses().message("never")),
        "unknown_address");
    answers.put(new JsonObject().put("type", "send").put("address", peers).put("replyAddress", 5),
        "invalid frame: 'replyAddress' must be a string");
    answers.put(new JsonObject().put("type", "publish").put("address", node.addresses().broadcast())
        .put("headers", new JsonArray()), "invalid frame: 'headers' must be an object");
    answers.put(new JsonObject().put("type", "send").put("address", peers).put("failureCode", "500"),
        "invalid frame: 'failureCode' must be an integer");
    answers.put(new JsonObject().put("type", "send").put("address", peers).put("failureCode", 500),
        "invalid frame: 'failureCode' fails a request delivered to this client, and none awaits an answer at "
            + peers);
    BridgeClient client = connect();

    answers.keySet().forEach(client::write);

    for (Map.Entry<JsonObject, String> answer : answers.entrySet()) {
      assertEquals(new JsonObject().put("type", "err").put("message", answer.getValue()), client.readFrame(),
          "the answer to " + answer.getKey().encode());
    }
    client.send(peers, new JsonObject(), "reply-peers");
    JsonObject reply = client.readMessage("reply-peers");
    assertTrue(reply.getJsonObject("body").containsKey("connected"), reply.encode());
  }

  @Test
  void aRefusedFrameWithAReplyAddressIsAnsweredOnThatAddress() {
    BridgeClient client = connect();

    client.send("other.address", new JsonObject(), "reply-1");
    client.register(node.addresses().peers(), "registered-1");
    client.write(new JsonObject().put("type", "send").put("address", node.addresses().peers())
        .put("replyAddress", "reply-2").put("headers", new JsonObject().put("timeout", 0)));

    assertEquals(new JsonObject().put("type", "err").put("address", "reply-1").put("message", "access_denied"),
        client.readFrame());
    assertEquals(new JsonObject().put("type", "err").put("address", "registered-1").put("message", "access_denied"),
        client.readFrame());
    assertEquals(new JsonObject().put("type", "err").put("address", "reply-2")
        .put("message", "invalid frame: header 'timeout' must be a positive number of milliseconds"), client.readFrame());
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[1, 2]", "\"text\"", "null", "42", "", "{\"type\": \"ping\""})
  void whatIsNotAJsonObjectIsAnsweredAndClosesTheConnection(String payload) {
    BridgeClient client = connect();

    client.writeRaw(payload.getBytes(StandardCharsets.UTF_8));

    assertEquals(new JsonObject().put("type", "err").put("message", NOT_JSON), client.readFrame());
    client.assertClosed();
  }

  @Test
  void bytesThatAreNotUtf8AreAnsweredAndCloseTheConnection() {
    BridgeClient client = connect();
    byte[] prefix = "{\"type\": \"ping\", \"x\": \"".getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[prefix.length + 4];
    System.arraycopy(prefix, 0, payload, 0, prefix.length);
    // 0xC3 opens a 2-byte sequence that 0x28 does not continue.
    payload[prefix.length] = (byte) 0xC3;
    payload[prefix.length + 1] = (byte) 0x28;
    payload[prefix.length + 2] = '"';
    payload[prefix.length + 3] = '}';

    client.writeRaw(payload);

    assertEquals(new JsonObject().put("type", "err").put("message", NOT_JSON), client.readFrame());
    client.assertClosed();
  }

  @Test
  void eachBadFrameIsLoggedInOneLineNamingTheClientAndTheProblem() {
    BridgeClient typo = connect();
    BridgeClient garbage = connect();

    String log = stderrWhile(() -> {
      typo.write(new JsonObject().put("type", "sned").put("address", "x\nforged line"));
      typo.sync();
      garbage.writeRaw("not json".getBytes(StandardCharsets.UTF_8));
      assertEquals(NOT_JSON, garbage.readError().getString("message"));
    });

    List<String> aboutTypo = linesAbout(typo, log);
    assertEquals(1, aboutTypo.size(), log);
    assertTrue(aboutTypo.get(0).contains("WARN"), aboutTypo.get(0));
    assertTrue(aboutTypo.get(0).contains("answered err 'unknown_type' to sned x\\u000aforged line"), aboutTypo.get(0));
    List<String> aboutGarbage = linesAbout(garbage, log);
    assertEquals(1, aboutGarbage.size(), log);
    assertTrue(aboutGarbage.get(0).contains("disconnected: " + NOT_JSON), aboutGarbage.get(0));
    assertFalse(log.contains("\tat "), "no stack trace: " + log);
  }

  @Test
  void aFloodOfBadFramesIsAllAnsweredButLoggedTenLinesAtMost() {
    BridgeClient client = connect();

    String log = stderrWhile(() -> {
      for (int i = 0; i < 50; i++) {
        client.write(new JsonObject().put("type", "flood"));
      }
      for (int i = 0; i < 50; i++) {
        assertEquals("unknown_type", client.readError().getString("message"));
      }
      client.sync();
    });

    assertEquals(10, linesAbout(client, log).size(), log);
  }

  /** The node's log lines about {@code client}, which it names by its address. */
  private static List<String> linesAbout(BridgeClient client, String log) {
    String name = "Bridge client 127.0.0.1:" + client.localPort() + " ";
    return log.lines().filter(line -> line.contains(name)).toList();
  }

  /** What is written to System.err while {@code action} runs: slf4j-simple writes to System.err as it is then. */
  private static String stderrWhile(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
