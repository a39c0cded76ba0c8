package org.peermesh.bus;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.Sockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One bridge client's connection: its frames, its registrations, and what it may cost the node.
 *
 * <p>Inbound, a frame's length is checked against {@code bridge.maxFrameSize} as soon as its 4 bytes are in, so a
 * frame too large is refused before its body is kept; the bytes of one frame must all arrive within
 * {@code bridge.frameTimeout}. Either refusal is an {@code err} frame naming the limit and its key, then the close.
 *
 * <p>Outbound, at most {@code bridge.maxWriteQueueSize} bytes wait for the client (the socket's write queue).
 * A delivery on an address the client registered on that finds the queue full is dropped and counted per address;
 * a delivered request among them is failed at once with 429 so that its sender need not wait for a timeout. Once the
 * queue drains, the client gets the counts in one notice, {@code {"type": "message", "address":
 * "<prefix>.bridge.dropped", "body": {"dropped": {address: count}}}}, before any later delivery. Replies to the
 * client's own requests are never dropped (the client asked for them); instead, while the queue is full the bridge
 * reads no more of the client's frames, so it cannot ask for more than it reads. A queue that stays full for
 * {@code bridge.writeTimeout} means a client that does not read: its connection is reset, which drops the queue (a
 * plain close would wait for the client to read it).
 *
 * <p>What a client makes the node hold beyond the free bytes of the node's memory budget is taken from it, as a
 * peer's is: an unfinished frame takes its declared size once its length is in, and while the budget has no room for
 * it the client's frames are not read (as TCP backpressure); a delivery that the budget has no room for is dropped and
 * counted as one that finds the queue full.
 *
 * <p>Every handler of one connection runs on the socket's context (the consumers and requests are made from it),
 * so the state here needs no locks.
 */
final class BridgeConnection {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeConnection.class);
  private static final Buffer EMPTY = Buffer.buffer(0);
  private static final int LENGTH_BYTES = 4;
  private static final int MAX_LOGGED_CHARS = 200;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final NetSocket socket;
  private final BridgeOptions options;
  private final BridgePermissions permissions;
  private final String droppedAddress;
  private final Runnable onClose;
  private final MemoryBudget.Account account;
  /** Counts a dropped delivery in the bridge's totals, by address. */
  private final Consumer<String> countDrop;
  /** The bridge's limit on lines about bad frames, shared by its connections. */
  private final LogLimit badFrameLog;

  /** Bytes received and not yet handled: at most one unfinished frame of up to maxFrameSize, and its length. */
  private Buffer unread = EMPTY;
  /** Ends the connection when the unfinished frame takes longer than frameTimeout; -1: none is running. */
  private long frameTimer = -1;
  /** Ends the connection when the write queue stays full for writeTimeout; -1: the queue is not full. */
  private long writeTimer = -1;
  private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
  /** Requests delivered to the client, by the reply address it answers to. */
  private final Map<String, Message<Object>> awaitingAnswer = new HashMap<>();
  /** Deliveries dropped since the last notice, by address. */
  private final Map<String, Long> dropped = new LinkedHashMap<>();
  /** The client's frames are not read until the memory budget has room for its unfinished frame. */
  private boolean awaitingMemory;
  private boolean closed;

  BridgeConnection(Vertx vertx, NetSocket socket, BridgeOptions options, BridgePermissions permissions,
                   String droppedAddress, MemoryBudget.Account account, Consumer<String> countDrop,
                   LogLimit badFrameLog, Runnable onClose) {
    this.vertx = vertx;
    this.badFrameLog = badFrameLog;
    this.account = account;
    this.countDrop = countDrop;
    this.eventBus = vertx.eventBus();
    this.socket = socket;
    this.options = options;
    this.permissions = permissions;
    this.droppedAddress = droppedAddress;
    this.onClose = onClose;
  }

  void start() {
    socket.setWriteQueueMaxSize(options.getMaxWriteQueueSize());
    socket.handler(this::received);
    socket.drainHandler(v -> drained());
    socket.closeHandler(v -> closed());
    socket.exceptionHandler(e -> {
      LOG.debug("Bridge client {} failed", socket.remoteAddress(), e);
      socket.close();
    });
  }

  /** {@code {"type": "err", "message": message}}, framed. */
  static Buffer errFrame(String message) {
    return frame(new JsonObject().put("type", "err").put("message", message));
  }

  private static Buffer frame(JsonObject payload) {
    Buffer json = payload.toBuffer();
    return Buffer.buffer(LENGTH_BYTES + json.length()).appendInt(json.length()).appendBuffer(json);
  }

  // ------------------------------------------------------------------------------------------------------ inbound

  private void received(Buffer data) {
    Buffer bytes = unread.length() == 0 ? data : unread.appendBuffer(data);
    int offset = 0;
    boolean framed = false;
    while (!closed && bytes.length() - offset >= LENGTH_BYTES) {
      long length = Integer.toUnsignedLong(bytes.getInt(offset));
      if (length > options.getMaxFrameSize()) {
        String reason = "frame of " + length + " bytes exceeds bridge.maxFrameSize " + options.getMaxFrameSize();
        logBadFrame("disconnected: " + reason);
        refuse(reason);
        return;
      }
      int end = offset + LENGTH_BYTES + (int) length;
      if (bytes.length() < end) {
        break;
      }
      Buffer payload = bytes.slice(offset + LENGTH_BYTES, end);
      offset = end;
      framed = true;
      handle(payload);
    }
    if (closed) {
      return;
    }
    if (offset == bytes.length()) {
      unread = EMPTY;
    } else if (offset == 0) {
      // An unfinished frame grows in place: copying it whole at every read would cost its size squared.
      unread = bytes == data ? data.copy() : bytes;
    } else {
      unread = bytes.getBuffer(offset, bytes.length());
    }
    if (unread.length() == 0 || framed) {
      cancelFrameTimer();
    }
    reserveUnfinishedFrame();
    armFrameTimer();
  }

  /**
   * Takes the unfinished frame's declared size from the memory budget (nothing for a small one, and gives back the
   * last frame's); while the budget has no room for it, reads none of the client's frames and does not time the frame,
   * which cannot finish meanwhile.
   */
  private void reserveUnfinishedFrame() {
    long declared = unread.length() < LENGTH_BYTES ? 0 : LENGTH_BYTES + Integer.toUnsignedLong(unread.getInt(0));
    if (account.reserveReading(declared)) {
      if (awaitingMemory) {
        awaitingMemory = false;
        resumeReading();
      }
      return;
    }
    if (!awaitingMemory) {
      awaitingMemory = true;
      cancelFrameTimer();
      socket.pause();
    }
    Context context = vertx.getOrCreateContext();
    account.awaitRoom(task -> context.runOnContext(v -> task.run()), () -> {
      if (!closed) {
        reserveUnfinishedFrame();
      }
    });
  }

  /** Reads the client's frames again, unless its write queue or the memory budget still holds them back. */
  private void resumeReading() {
    if (writeTimer == -1 && !awaitingMemory) {
      armFrameTimer();
      socket.resume();
    }
  }

  /**
   * Times the unfinished frame, if there is one and the client's frames are being read: while they are not (its
   * write queue is full) the frame cannot finish, and writeTimeout is what limits the wait.
   */
  private void armFrameTimer() {
    if (unread.length() > 0 && frameTimer == -1 && writeTimer == -1 && !awaitingMemory) {
      frameTimer = vertx.setTimer(options.getFrameTimeout(), id -> {
        frameTimer = -1;
        String reason = "frame unfinished after bridge.frameTimeout " + options.getFrameTimeout() + " ms";
        LOG.info("Bridge client {} disconnected: {}", socket.remoteAddress(), reason);
        refuse(reason);
      });
    }
  }

  private void handle(Buffer payload) {
    JsonObject frame;
    try {
      frame = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      String reason = "invalid frame: not a JSON object in UTF-8";
      logBadFrame("disconnected: " + reason);
      refuse(reason);
      return;
    }
    try {
      dispatch(frame);
    } catch (BadFrame e) {
      // A reply address, where there is one, lets the client tell which of its requests or registrations was refused.
      String replyAddress = frame.getValue("replyAddress") instanceof String text ? text : null;
      JsonObject err = new JsonObject().put("type", "err");
      if (replyAddress != null) {
        err.put("address", replyAddress);
      }
      write(frame(err.put("message", e.getMessage())));
      logBadFrame("answered err '" + e.getMessage() + "' to " + describe(frame));
    }
  }

  /**
   * Acts on a well-framed command; a command it cannot act on is a {@link BadFrame}. The messages of Vert.x's own
   * bridge ({@code unknown_type}, {@code missing_address}, {@code access_denied}, {@code unknown_address}) are kept
   * word for word: clients written for that bridge match on them.
   */
  private void dispatch(JsonObject frame) {
    String type = text(frame, "type");
    if (type == null) {
      throw new BadFrame("missing_type");
    }
    if ("ping".equals(type)) {
      write(frame(new JsonObject().put("type", "pong")));
      return;
    }
    if (!"send".equals(type) && !"publish".equals(type) && !"register".equals(type) && !"unregister".equals(type)) {
      throw new BadFrame("unknown_type");
    }
    String address = text(frame, "address");
    if (address == null) {
      throw new BadFrame("missing_address");
    }
    String replyAddress = text(frame, "replyAddress");
    switch (type) {
      case "send" -> send(address, replyAddress, frame);
      case "publish" -> publish(address, frame);
      case "register" -> register(address, replyAddress);
      default -> unregister(address);
    }
  }

  private void send(String address, String replyAddress, JsonObject frame) {
    // Every field is read before the request it answers is taken: a bad answer leaves the request answerable.
    Object body = frame.getValue("body");
    DeliveryOptions delivery = deliveryOptions(frame);
    if (frame.getValue("failureCode") != null) {
      fail(address, replyAddress, frame);
      return;
    }
    Message<Object> request = awaitingAnswer.remove(address);
    if (request == null && !permissions.mayWrite(address)) {
      throw new BadFrame("access_denied");
    }
    if (replyAddress != null) {
      (request != null ? request.replyAndRequest(body, delivery) : eventBus.request(address, body, delivery))
          .onComplete(answer -> answered(address, replyAddress, answer));
    } else if (request == null) {
      eventBus.send(address, body, delivery);
    } else {
      request.reply(body, delivery);
    }
  }

  /**
   * Fails a request delivered to the client, as Vert.x's bridge does: {@code {"type": "send", "address":
   * <its replyAddress>, "failureCode", "message"}}. Its sender gets a ReplyException (RECIPIENT_FAILURE) with that
   * code and message.
   */
  private void fail(String address, String replyAddress, JsonObject frame) {
    int failureCode = integer(frame, "failureCode");
    String message = text(frame, "message");
    if (replyAddress != null) {
      throw new BadFrame("invalid frame: a failure asks for no answer: 'failureCode' with 'replyAddress'");
    }
    Message<Object> request = awaitingAnswer.remove(address);
    if (request == null) {
      throw new BadFrame("invalid frame: 'failureCode' fails a request delivered to this client, and none awaits an"
          + " answer at " + address);
    }
    request.fail(failureCode, message);
  }

  private void publish(String address, JsonObject frame) {
    Object body = frame.getValue("body");
    DeliveryOptions delivery = deliveryOptions(frame);
    if (!permissions.mayWrite(address)) {
      throw new BadFrame("access_denied");
    }
    eventBus.publish(address, body, delivery);
  }

  /**
   * Registers the client on {@code address}. Vert.x's bridge answers nothing, so a client cannot know when messages
   * start to reach it; with a {@code replyAddress} the bridge answers {@code {"type": "message", "address":
   * <replyAddress>, "body": {"registered": <address>}}} once the consumer is registered (in a clustered node, once
   * every member knows it), or an err frame with that address.
   */
  private void register(String address, String replyAddress) {
    if (!permissions.mayRegister(address)) {
      throw new BadFrame("access_denied");
    }
    MessageConsumer<Object> consumer = registrations.get(address);
    if (consumer == null) {
      if (registrations.size() >= options.getMaxRegistrations()) {
        throw new BadFrame("too many registrations: bridge.maxRegistrations " + options.getMaxRegistrations()
            + " reached; unregister an address first");
      }
      consumer = eventBus.consumer(address, this::delivered);
      registrations.put(address, consumer);
    }
    if (replyAddress != null) {
      consumer.completion().onComplete(registered -> {
        if (closed) {
          return;
        }
        if (registered.succeeded()) {
          write(frame(new JsonObject().put("type", "message").put("address", replyAddress)
              .put("headers", new JsonObject()).put("body", new JsonObject().put("registered", address))
              .put("send", true)));
        } else {
          write(frame(new JsonObject().put("type", "err").put("address", replyAddress)
              .put("message", "registration failed: " + registered.cause().getMessage())));
        }
      });
    }
  }

  private void unregister(String address) {
    if (!permissions.mayRegister(address)) {
      throw new BadFrame("access_denied");
    }
    MessageConsumer<Object> consumer = registrations.remove(address);
    if (consumer == null) {
      throw new BadFrame("unknown_address");
    }
    consumer.unregister();
  }

  /**
   * A frame's {@code headers}: {@code timeout} (ms) and {@code localOnly} set the delivery; every other header is
   * passed on as a string. The library's {@code codecName} is not honoured: a client does not pick the node's codecs.
   */
  private static DeliveryOptions deliveryOptions(JsonObject frame) {
    DeliveryOptions delivery = new DeliveryOptions();
    Object headers = frame.getValue("headers");
    if (headers == null) {
      return delivery;
    }
    if (!(headers instanceof JsonObject object)) {
      throw new BadFrame("invalid frame: 'headers' must be an object");
    }
    for (Map.Entry<String, Object> header : object) {
      Object value = header.getValue();
      switch (header.getKey()) {
        case "timeout" -> {
          if (!(value instanceof Number timeout) || timeout.longValue() < 1) {
            throw new BadFrame("invalid frame: header 'timeout' must be a positive number of milliseconds");
          }
          delivery.setSendTimeout(timeout.longValue());
        }
        case "localOnly" -> {
          if (!(value instanceof Boolean localOnly)) {
            throw new BadFrame("invalid frame: header 'localOnly' must be true or false");
          }
          delivery.setLocalOnly(localOnly);
        }
        default -> {
          if (!(value instanceof String text)) {
            throw new BadFrame("invalid frame: header '" + header.getKey() + "' must be a string");
          }
          delivery.addHeader(header.getKey(), text);
        }
      }
    }
    return delivery;
  }

  private static String text(JsonObject frame, String key) {
    Object value = frame.getValue(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new BadFrame("invalid frame: '" + key + "' must be a string");
  }

  private static int integer(JsonObject frame, String key) {
    if (frame.getValue(key) instanceof Integer value) {
      return value;
    }
    throw new BadFrame("invalid frame: '" + key + "' must be an integer");
  }

  // ----------------------------------------------------------------------------------------------------- outbound

  /** The answer to the client's own request: never dropped, the client asked for it. */
  private void answered(String address, String replyAddress, AsyncResult<Message<Object>> answer) {
    if (closed) {
      return;
    }
    if (answer.succeeded()) {
      Message<Object> reply = answer.result();
      if (reply.replyAddress() != null) {
        // A reply that asks for an answer in turn: written whatever, as the client asked for it.
        awaitAnswer(reply);
      }
      write(messageFrame(replyAddress, reply));
      return;
    }
    JsonObject err = new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", address);
    if (answer.cause() instanceof ReplyException failure) {
      err.put("failureCode", failure.failureCode()).put("failureType", failure.failureType().name());
    }
    write(frame(err.put("message", answer.cause().getMessage())));
  }

  /** A message on an address the client registered on: written if its queue has room, else dropped and counted. */
  private void delivered(Message<Object> message) {
    if (closed) {
      return;
    }
    Buffer frame = messageFrame(message.address(), message);
    if (socket.writeQueueFull() || !account.hasRoomFor(Sockets.unsentBytes(socket), frame.length())) {
      dropped.merge(message.address(), 1L, Long::sum);
      countDrop.accept(message.address());
      if (message.replyAddress() != null) {
        message.fail(Failure.TOO_MANY_REQUESTS.code(), "the bridge client reads too slowly: its bridge.maxWriteQueueSize "
            + options.getMaxWriteQueueSize() + " bytes are full, or the node's memory budget has no room for more");
      }
      return;
    }
    if (message.replyAddress() != null && !awaitAnswer(message)) {
      return;
    }
    writeDropNotice();
    write(frame);
  }

  /**
   * Keeps a request delivered to the client until it answers, at most {@code bridge.maxPendingRequests} of them: a
   * client that never answers must not make the node keep every request sent to it.
   *
   * @return false, with the request failed 429, when the client has as many unanswered already
   */
  private boolean awaitAnswer(Message<Object> request) {
    if (awaitingAnswer.size() >= options.getMaxPendingRequests()) {
      request.fail(Failure.TOO_MANY_REQUESTS.code(), "the bridge client has " + awaitingAnswer.size()
          + " requests unanswered: bridge.maxPendingRequests " + options.getMaxPendingRequests());
      return false;
    }
    awaitingAnswer.put(request.replyAddress(), request);
    return true;
  }

  private static Buffer messageFrame(String address, Message<Object> message) {
    JsonObject headers = new JsonObject();
    message.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
    JsonObject payload = new JsonObject().put("type", "message").put("address", address);
    if (message.replyAddress() != null) {
      payload.put("replyAddress", message.replyAddress());
    }
    return frame(payload.put("headers", headers).put("body", message.body()).put("send", message.isSend()));
  }

  private void writeDropNotice() {
    if (dropped.isEmpty()) {
      return;
    }
    LOG.debug("Bridge client {} missed {}", socket.remoteAddress(), dropped);
    JsonObject counts = new JsonObject();
    dropped.forEach(counts::put);
    dropped.clear();
    write(frame(new JsonObject().put("type", "message").put("address", droppedAddress)
        .put("body", new JsonObject().put("dropped", counts))));
  }

  /** Writes, and once the queue is full stops reading the client until it drains, for writeTimeout at most. */
  private void write(Buffer frame) {
    socket.write(frame);
    settleAccount();
    if (writeTimer == -1 && socket.writeQueueFull()) {
      socket.pause();
      cancelFrameTimer();
      writeTimer = vertx.setTimer(options.getWriteTimeout(), id -> {
        writeTimer = -1;
        LOG.info("Bridge client {} disconnected: its write queue stayed full for bridge.writeTimeout {} ms",
            socket.remoteAddress(), options.getWriteTimeout());
        closed();
        Sockets.abort(socket);
      });
    }
  }

  private void drained() {
    if (closed || writeTimer == -1) {
      return;
    }
    vertx.cancelTimer(writeTimer);
    writeTimer = -1;
    settleAccount();
    writeDropNotice();
    resumeReading();
  }

  /**
   * Holds what the socket has not sent in the memory budget. Writes the client asked for (replies, errors) are never
   * refused for it: the client's frames are not read while its queue is full, so it cannot ask for more.
   */
  private void settleAccount() {
    account.holdWriting(Sockets.unsentBytes(socket));
  }

  /**
   * One WARN line about a client's bad frame, without a stack trace: a bad frame is a bug in a service the operator
   * runs, which may ignore the err frame it got. Rate-limited bridge-wide, as a client may send nothing else.
   */
  private void logBadFrame(String what) {
    long leftOut = badFrameLog.admit();
    if (leftOut >= 0) {
      LOG.warn("Bridge client {} sent a bad frame: {}{}", socket.remoteAddress(), oneLine(what),
          leftOut == 0 ? "" : " (" + leftOut + " more bad frames from bridge clients not logged)");
    }
  }

  /** A frame's type and address for the log, as the client spelled them. */
  private static String describe(JsonObject frame) {
    return frame.getValue("type") + " " + frame.getValue("address");
  }

  /** The client's text fits one log line: control characters (a newline) escaped, at most 200 characters. */
  private static String oneLine(String text) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < text.length() && line.length() < MAX_LOGGED_CHARS; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    return line.length() < MAX_LOGGED_CHARS ? line.toString() : line.append("...").toString();
  }

  // ------------------------------------------------------------------------------------------------------ closing

  /**
   * Tells the client why, and closes: bad input costs the sender its connection, never the node. Only what breaks the
   * framing comes here (a length over the limit, bytes that are not a JSON object in UTF-8, a frame that does not
   * finish): after it the next frame's length cannot be trusted to be where the stream says.
   */
  private void refuse(String reason) {
    closed();
    Sockets.close(vertx, socket, errFrame(reason), options.getWriteTimeout());
  }

  /** Ends what the connection holds: its timers, its registrations, and the requests it will never answer. */
  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    unread = EMPTY;
    account.close();
    cancelFrameTimer();
    if (writeTimer != -1) {
      vertx.cancelTimer(writeTimer);
      writeTimer = -1;
    }
    registrations.values().forEach(MessageConsumer::unregister);
    registrations.clear();
    awaitingAnswer.values().forEach(request -> request.fail(Failure.PEER_DISCONNECTED.code(),
        "the bridge client disconnected before answering"));
    awaitingAnswer.clear();
    onClose.run();
  }

  private void cancelFrameTimer() {
    if (frameTimer != -1) {
      vertx.cancelTimer(frameTimer);
      frameTimer = -1;
    }
  }

  /**
   * A JSON object the bridge does not act on: answered with an err frame of this message, and the connection stays,
   * as the next frame's bytes are where they should be. No stack trace: the message says all there is to say.
   */
  private static final class BadFrame extends RuntimeException {

    BadFrame(String message) {
      super(message, null, false, false);
    }
  }
}
