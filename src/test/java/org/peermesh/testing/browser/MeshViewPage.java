package org.peermesh.testing.browser;

import io.vertx.core.json.JsonObject;
import org.peermesh.testing.InteropInstall;
import org.peermesh.testing.JsonEvents;
import org.peermesh.testing.JsonLinesProcess;
import org.peermesh.testing.ScriptedPeer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The mesh view in Debian's Chromium, headless, driven by playwright-core
 * ({@code src/interop/browser/mesh-view-page.js}, installed by {@code install.sh browser chromium}): it opens the
 * page, waits until the page shows what a test asks for, reads what it shows from the DOM, and takes screenshots. What it reads ({@link #view}) is {@code {"nodeId",
 * "bus", "peers": [{"protocol", "peer", "peerId", "state", "direction", "bytesIn", "bytesOut", "framesIn",
 * "framesOut"}], "drawnPeers", "protocols", "members"}}.
 */
public final class MeshViewPage extends ScriptedPeer {

  /** The npm part of {@code src/interop} the script is in. */
  static final String BROWSER = "browser";
  /** Starting Node.js and loading playwright-core. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(30);
  /** Starting Chromium on a busy machine, loading the page, connecting its bridge. */
  public static final Duration OPEN_DEADLINE = Duration.ofSeconds(90);
  /** Beyond a wait's own deadline, which the script keeps: reading the page and answering. */
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(15);

  private final AtomicInteger commands = new AtomicInteger();

  private MeshViewPage(JsonLinesProcess process) {
    super(process);
  }

  /** Installs Chromium and playwright-core if needed and starts the script; the browser starts with {@link #open}. */
  public static MeshViewPage start() {
    InteropInstall.run("chromium");
    JsonLinesProcess process = JsonLinesProcess.start(BROWSER, "chromium", "mesh-view-page.js", List.of());
    try {
      process.events().await(JsonEvents.named("ready"), START_DEADLINE);
      return new MeshViewPage(process);
    } catch (AssertionError e) {
      throw process.startFailure("mesh-view-page.js did not start within " + START_DEADLINE, e);
    }
  }

  /** Loads {@code url} and returns what the page shows once it is connected to the node's bridge. */
  public JsonObject open(String url) {
    int from = events().size();
    process.command(new JsonObject().put("open", new JsonObject().put("url", url)));
    JsonObject answer = events().awaitAfter(from, JsonEvents.named("opened").or(JsonEvents.named("error")),
        OPEN_DEADLINE);
    if (!"opened".equals(answer.getString("event"))) {
      throw new AssertionError("the page at " + url + " did not open: " + answer.getString("message"));
    }
    return answer.getJsonObject("view");
  }

  /**
   * Waits until the page shows what {@code spec} asks ({@code {"selfId"?, "peers"?: [{"peerId"?, "protocol"?,
   * "state"?, "bytesInAbove"?, "bytesOutAbove"?}], "absent"?: [peerId]}}: a row that matches each of {@code peers},
   * none of the peer ids {@code absent}) and returns what it shows then; an AssertionError with what it showed at the
   * deadline otherwise.
   */
  public JsonObject awaitView(JsonObject spec, Duration timeout) {
    String id = "await-" + commands.incrementAndGet();
    JsonObject answer = command(new JsonObject().put("await", spec.copy().put("id", id)
        .put("timeoutMs", timeout.toMillis())), id, timeout.plus(ANSWER_MARGIN));
    if ("error".equals(answer.getString("event"))) {
      throw new AssertionError("the page did not show " + spec.encode() + " within " + timeout + ": "
          + answer.getString("message") + "; it showed " + answer.getJsonObject("view").encode());
    }
    return answer.getJsonObject("view");
  }

  /** What the page shows now. */
  public JsonObject view() {
    String id = "view-" + commands.incrementAndGet();
    return command(new JsonObject().put("view", new JsonObject().put("id", id)), id, ANSWER_MARGIN)
        .getJsonObject("view");
  }

  /** A screenshot of the whole page, as PNG, to {@code path}. */
  public Path screenshot(Path path) {
    String id = "screenshot-" + commands.incrementAndGet();
    command(new JsonObject().put("screenshot", new JsonObject().put("id", id)
        .put("path", path.toAbsolutePath().toString())), id, ANSWER_MARGIN);
    return path;
  }

  /**
   * Closes the page as a user closes the tab, so that its socket to the node ends with a close frame, then the
   * browser; the harness's end of the process would reset the socket.
   */
  @Override
  public void close() {
    try {
      String id = "close-" + commands.incrementAndGet();
      command(new JsonObject().put("closePage", new JsonObject().put("id", id)), id, ANSWER_MARGIN);
    } catch (RuntimeException | AssertionError pageGoneAlready) {
      // The script or its page ended first; ending the process is all there is left to do.
    } finally {
      super.close();
    }
  }

  /** The messages the page's console printed at {@code type} ("error", "warning"), and its uncaught errors. */
  public List<String> consoleLines(String type) {
    Predicate<JsonObject> printed = JsonEvents.named("console").and(event -> type.equals(event.getString("type")));
    return events().matching(printed.or(JsonEvents.named("pageError"))).stream()
        .map(event -> event.getString("text", event.getString("message"))).toList();
  }

  private JsonObject command(JsonObject command, String id, Duration deadline) {
    int from = events().size();
    process.command(command);
    return events().awaitAfter(from, event -> id.equals(event.getString("id")), deadline);
  }
}
