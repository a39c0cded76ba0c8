package org.peermesh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The workloads of PeerMesh's own scenarios on @liskhq/lisk-p2p 0.10.0, the library whose API PeerMesh follows,
 * each lisk figure printed beneath the PeerMesh figure of the same workload. lisk-p2p runs for real in Node.js
 * ({@link LiskP2p}); the one PeerMesh figure no other scenario measures, {@code broadcast-3}, is measured here
 * ({@link PeerMeshBroadcast}).
 *
 * <p>lisk's request figures are taken with 32 requests in flight and compared with PeerMesh's at 128: lisk-p2p does
 * best near 32, and at 128 it answered about half as many requests per second on this 2-core machine.
 */
public final class LiskScenario implements Scenario {

  private static final int MANY_IN_FLIGHT = 32;

  private final LiskP2p lisk = new LiskP2p(LiskP2p.DEFAULT_DIR);

  @Override
  public String name() {
    return "lisk";
  }

  @Override
  public String description() {
    return "stream, requests and a 3-node broadcast of --payload messages on lisk-p2p 0.10.0 (Node.js), beside "
        + "PeerMesh";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    lisk.ensureInstalled(log);
    List<Figure> figures = new ArrayList<>();

    List<LiskRound> stream = measure("stream", 1, options, log);
    figures.add(Figure.rate("lisk-stream", "msg/s", each(stream, LiskRound::rate)).beneath("stream"));

    List<LiskRound> one = measure("request", 1, options, log);
    figures.add(Figure.latency("lisk-request-1-p50", "us", each(one, LiskRound::p50Micros)).beneath("request-1-p50"));
    figures.add(Figure.latency("lisk-request-1-p99", "us", each(one, LiskRound::p99Micros)).beneath("request-1-p99"));

    List<LiskRound> many = measure("request", MANY_IN_FLIGHT, options, log);
    figures.add(Figure.rate("lisk-request-32", "req/s", each(many, LiskRound::rate)).beneath("request-128"));
    figures.add(Figure.latency("lisk-request-32-p99", "us", each(many, LiskRound::p99Micros))
        .beneath("request-128-p99"));

    figures.add(PeerMeshBroadcast.measure(options, log));
    List<LiskRound> broadcast = measure("broadcast3", 1, options, log);
    figures.add(Figure.rate("lisk-broadcast-3", "msg/s", each(broadcast, LiskRound::rate))
        .beneath(PeerMeshBroadcast.FIGURE));
    return figures;
  }

  private List<LiskRound> measure(String workload, int inFlight, BenchOptions options, BenchLog log)
      throws Exception {
    return lisk.measure(workload, options.roundMillis(), options.rounds(), options.payload(), inFlight, log);
  }

  private static double[] each(List<LiskRound> rounds, ToDoubleFunction<LiskRound> metric) {
    return rounds.stream().mapToDouble(metric).toArray();
  }
}
