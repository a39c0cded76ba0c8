package org.peermesh.devp2p.rlpx;

import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpString;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * RLPx framing after the handshake (ethereum/devp2p rlpx.md, "Framing"): each message is one frame,
 * {@code header-ciphertext(16) || header-mac(16) || body-ciphertext || frame-mac(16)}, where the header holds the
 * body size (24 bits, big-endian) and {@code C2 80 80} (the header-data go-ethereum writes; Nethermind drops a frame
 * with {@code C0}), and the body is {@code rlp(code) || payload}, zero-padded to 16 bytes. Both parts are encrypted
 * with AES-256-CTR, one key stream per direction for the whole session.
 *
 * <p>The decoder checks each MAC before it decrypts, and judges a frame's size from its header alone, so a peer
 * that announces a frame over the limit costs nothing more. An unfinished frame's bytes are kept as they arrive, not
 * reserved at the announced size.
 *
 * <p>Not thread-safe: one codec per connection; {@link #encode} in send order, {@link #feed} in stream order.
 */
public final class RlpxFrameCodec {

  /** The largest frame body the 24-bit size field can announce. */
  public static final int MAX_FRAME_SIZE = 0xFFFFFF;

  private static final int BLOCK = 16;
  private static final int HEADER_LENGTH = BLOCK + FrameMac.LENGTH;
  private static final byte[] HEADER_DATA = {(byte) 0xC2, (byte) 0x80, (byte) 0x80};
  private static final int SIZE_LENGTH = 3;

  /** Receives each frame's message, in stream order. */
  public interface FrameListener {

    /**
     * A frame's message.
     *
     * @param code the message code, read as RLP from the start of the body
     * @param payload the rest of the body without its padding, an array of its own
     */
    void frame(int code, byte[] payload);
  }

  private final StreamCipher egressCipher;
  private final StreamCipher ingressCipher;
  private final FrameMac egressMac;
  private final FrameMac ingressMac;
  private int maxFrameSize;

  /** Received bytes not yet consumed, from {@code pendingStart} to {@code pendingEnd}. */
  private byte[] pending = new byte[0];
  private int pendingStart;
  private int pendingEnd;
  /** The current frame's body size once its header is checked; -1 while a header is awaited. */
  private int bodySize = -1;
  private boolean failed;

  /**
   * @param maxFrameSize the largest frame body accepted, at most {@link #MAX_FRAME_SIZE}
   * @throws IllegalArgumentException if {@code maxFrameSize} is not 1 to {@link #MAX_FRAME_SIZE}
   */
  public RlpxFrameCodec(RlpxSecrets secrets, int maxFrameSize) {
    this(secrets.aesSecret(), FrameMac.keccak(secrets.macSecret(), secrets.egressMac()),
        FrameMac.keccak(secrets.macSecret(), secrets.ingressMac()), maxFrameSize);
  }

  RlpxFrameCodec(byte[] aesSecret, FrameMac egressMac, FrameMac ingressMac, int maxFrameSize) {
    this.egressCipher = aesCtr(aesSecret);
    this.ingressCipher = aesCtr(aesSecret);
    this.egressMac = egressMac;
    this.ingressMac = ingressMac;
    this.maxFrameSize = requireFrameLimit(maxFrameSize);
  }

  /**
   * Sets the largest frame body accepted from the next header on: a session takes a smaller limit until the peer's
   * Hello has been checked.
   *
   * @throws IllegalArgumentException if {@code maxFrameSize} is not 1 to {@link #MAX_FRAME_SIZE}
   */
  public void limit(int maxFrameSize) {
    this.maxFrameSize = requireFrameLimit(maxFrameSize);
  }

  private static int requireFrameLimit(int maxFrameSize) {
    if (maxFrameSize < 1 || maxFrameSize > MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("maxFrameSize must be 1 to " + MAX_FRAME_SIZE + ", not " + maxFrameSize);
    }
    return maxFrameSize;
  }

  /**
   * The frame carrying message {@code code} with {@code payload} (already snappy-compressed if the session is).
   *
   * @throws IllegalArgumentException if {@code code} is negative or the body would exceed {@link #MAX_FRAME_SIZE}
   */
  public byte[] encode(int code, byte[] payload) {
    if (code < 0) {
      throw new IllegalArgumentException("a message code is not negative: " + code);
    }
    byte[] encodedCode = Rlp.encode(RlpString.of(code));
    long size = (long) encodedCode.length + payload.length;
    if (size > MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("frame body of " + size + " bytes, over " + MAX_FRAME_SIZE);
    }
    int bodyLength = padded((int) size);
    byte[] frame = new byte[HEADER_LENGTH + bodyLength + FrameMac.LENGTH];
    frame[0] = (byte) (size >>> 16);
    frame[1] = (byte) (size >>> 8);
    frame[2] = (byte) size;
    System.arraycopy(HEADER_DATA, 0, frame, SIZE_LENGTH, HEADER_DATA.length);
    egressCipher.processBytes(frame, 0, BLOCK, frame, 0);
    System.arraycopy(egressMac.header(Arrays.copyOf(frame, BLOCK)), 0, frame, BLOCK, FrameMac.LENGTH);
    System.arraycopy(encodedCode, 0, frame, HEADER_LENGTH, encodedCode.length);
    System.arraycopy(payload, 0, frame, HEADER_LENGTH + encodedCode.length, payload.length);
    egressCipher.processBytes(frame, HEADER_LENGTH, bodyLength, frame, HEADER_LENGTH);
    byte[] bodyMac = egressMac.body(Arrays.copyOfRange(frame, HEADER_LENGTH, HEADER_LENGTH + bodyLength));
    System.arraycopy(bodyMac, 0, frame, HEADER_LENGTH + bodyLength, FrameMac.LENGTH);
    return frame;
  }

  /** The bytes a frame of {@code code} with a (compressed) payload of {@code payloadLength} takes on the wire. */
  public static int wireLength(int code, int payloadLength) {
    // rlp(code): one byte up to 0x7f, else a length byte and the code's big-endian bytes.
    int codeLength = code < 0x80 ? 1 : 1 + (Integer.SIZE - Integer.numberOfLeadingZeros(code) + 7) / 8;
    return HEADER_LENGTH + padded(codeLength + payloadLength) + FrameMac.LENGTH;
  }

  /**
   * Consumes a chunk of the stream, calling {@code listener} with each frame it completes, in order.
   *
   * <p>After this method throws, whether {@link RlpxException} or an exception from the listener, the stream's
   * position and the MAC states are lost: the codec refuses further chunks and the connection must be closed.
   *
   * @throws RlpxException {@code bad_mac} if a header or frame MAC does not hold, {@code too_large} for a frame over
   *     the limit, {@code bad_frame} for an empty body or a message code that is not an RLP integer
   * @throws IllegalStateException if an earlier call threw
   */
  public void feed(byte[] chunk, FrameListener listener) {
    if (failed) {
      throw new IllegalStateException("RlpxFrameCodec failed on an earlier chunk; the stream position is lost");
    }
    failed = true; // cleared on normal return only
    append(chunk);
    while (true) {
      if (bodySize < 0) {
        if (pendingEnd - pendingStart < HEADER_LENGTH) {
          break;
        }
        bodySize = readHeader();
        pendingStart += HEADER_LENGTH;
      } else {
        int frameRest = padded(bodySize) + FrameMac.LENGTH;
        if (pendingEnd - pendingStart < frameRest) {
          break;
        }
        byte[] body = readBody(bodySize);
        pendingStart += frameRest;
        bodySize = -1;
        emit(body, listener);
      }
    }
    if (pendingStart == pendingEnd) {
      // Between frames: let the array of a large frame go.
      pending = new byte[0];
      pendingStart = 0;
      pendingEnd = 0;
    }
    failed = false;
  }

  /** Bytes received of a frame not yet complete: 0 between frames. */
  public int unfinishedFrameSize() {
    return pendingEnd - pendingStart + (bodySize < 0 ? 0 : HEADER_LENGTH);
  }

  private int readHeader() {
    byte[] ciphertext = Arrays.copyOfRange(pending, pendingStart, pendingStart + BLOCK);
    byte[] mac = Arrays.copyOfRange(pending, pendingStart + BLOCK, pendingStart + HEADER_LENGTH);
    if (!MessageDigest.isEqual(ingressMac.header(ciphertext), mac)) {
      throw new RlpxException("bad_mac", "frame header MAC does not match");
    }
    byte[] header = new byte[BLOCK];
    ingressCipher.processBytes(ciphertext, 0, BLOCK, header, 0);
    int size = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | header[2] & 0xFF;
    if (size > maxFrameSize) {
      throw new RlpxException("too_large", "frame of " + size + " bytes, over the limit of " + maxFrameSize);
    }
    if (size == 0) {
      throw new RlpxException("bad_frame", "frame with an empty body: no message code");
    }
    return size;
  }

  private byte[] readBody(int size) {
    int bodyLength = padded(size);
    byte[] ciphertext = Arrays.copyOfRange(pending, pendingStart, pendingStart + bodyLength);
    byte[] mac = Arrays.copyOfRange(pending, pendingStart + bodyLength, pendingStart + bodyLength + FrameMac.LENGTH);
    if (!MessageDigest.isEqual(ingressMac.body(ciphertext), mac)) {
      throw new RlpxException("bad_mac", "frame MAC does not match");
    }
    byte[] body = new byte[bodyLength];
    ingressCipher.processBytes(ciphertext, 0, bodyLength, body, 0);
    return Arrays.copyOf(body, size);
  }

  private static void emit(byte[] body, FrameListener listener) {
    Rlp.Decoded code;
    long value;
    try {
      code = Rlp.decodePrefix(body, 0);
      value = code.item().string("message code").asLong("message code");
    } catch (RlpException e) {
      throw new RlpxException("bad_frame", e.getMessage());
    }
    if (value > Integer.MAX_VALUE) {
      throw new RlpxException("bad_frame", "message code " + value + " is out of every capability's range");
    }
    listener.frame((int) value, Arrays.copyOfRange(body, code.length(), body.length));
  }

  /** Adds {@code chunk} after the pending bytes, moving them to the front or growing the array when it is full. */
  private void append(byte[] chunk) {
    int live = pendingEnd - pendingStart;
    if (pending.length - pendingEnd < chunk.length) {
      byte[] target = live + chunk.length <= pending.length
          ? pending : new byte[Math.max(live + chunk.length, 2 * pending.length)];
      System.arraycopy(pending, pendingStart, target, 0, live);
      pending = target;
      pendingStart = 0;
      pendingEnd = live;
    }
    System.arraycopy(chunk, 0, pending, pendingEnd, chunk.length);
    pendingEnd += chunk.length;
  }

  private static int padded(int size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static StreamCipher aesCtr(byte[] key) {
    StreamCipher cipher = SICBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(true, new ParametersWithIV(new KeyParameter(key), new byte[BLOCK]));
    return cipher;
  }
}
