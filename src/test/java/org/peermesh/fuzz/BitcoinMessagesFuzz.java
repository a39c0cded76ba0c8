package org.peermesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import org.peermesh.bitcoin.wire.BitcoinFrameDecoder;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BitcoinMessages;
import org.peermesh.bitcoin.wire.BitcoinWireException;
import org.peermesh.bitcoin.wire.TestFrames;

/**
 * Bitcoin payloads: {@link BitcoinMessages#decode} for every known command (and unknown ones, kept raw), which may
 * fail only with {@link BitcoinWireException}. The first byte picks the command from {@link BitcoinStream#COMMANDS},
 * the rest is the payload.
 *
 * <p>Properties, those BitcoinMessagesTest checks on its samples: a message that decodes re-encodes to a payload that
 * decodes to an equal message (with an equal hash code) and that re-encodes to itself; it goes through JSON text and
 * {@link BitcoinMessages#fromJson} to an equal message; and through a frame and {@link BitcoinFrameDecoder}.
 */
public class BitcoinMessagesFuzz {

  private static final HexFormat HEX = HexFormat.of();

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void decode(byte[] data) {
    run(data);
  }

  /** @return whether the payload decoded */
  public static boolean run(byte[] data) {
    if (data.length == 0) {
      return false;
    }
    String command = BitcoinStream.COMMANDS.get((data[0] & 0xFF) % BitcoinStream.COMMANDS.size());
    return decodeAndCheck(command, Buffer.buffer().appendBytes(data, 1, data.length - 1));
  }

  /** Decodes a payload as a peer's; if it decodes, checks the message's round trips. */
  public static boolean decodeAndCheck(String command, Buffer payload) {
    BitcoinMessage message;
    try {
      message = BitcoinMessages.decode(command, payload);
    } catch (BitcoinWireException e) {
      assertNotNull(e.reason());
      return false;
    }
    checkRoundTrips(command, message);
    return true;
  }

  /** The round trips of a decoded message; any exception, a BitcoinWireException included, is a finding. */
  public static void checkRoundTrips(String command, BitcoinMessage message) {
    assertEquals(command, message.command());

    Buffer payload = message.payload();
    BitcoinMessage again = BitcoinMessages.decode(command, payload);
    assertEquals(message, again, () -> command + " re-encoded as " + HEX.formatHex(payload.getBytes()));
    assertEquals(message.hashCode(), again.hashCode());
    assertEquals(HEX.formatHex(payload.getBytes()), HEX.formatHex(again.payload().getBytes()));

    JsonObject json = new JsonObject(message.toJson().encode());
    assertEquals(message, BitcoinMessages.fromJson(command, json), json::encode);

    Buffer frame = BitcoinFrames.encode(BitcoinStream.MAGIC, message);
    List<BitcoinMessage> framed = TestFrames.decodeAll(
        new BitcoinFrameDecoder(BitcoinStream.MAGIC, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH), frame);
    assertEquals(List.of(message), framed);
  }
}
