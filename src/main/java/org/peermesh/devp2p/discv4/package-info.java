/**
 * The running discv4 service: {@link org.peermesh.devp2p.discv4.Discv4Service} speaks Node Discovery v4 over one
 * Vert.x UDP socket with the pure packets, node table and record of {@link org.peermesh.devp2p.discovery} and
 * {@link org.peermesh.devp2p.enr}, and tells the devp2p dialer about every node whose endpoint it has proven.
 *
 * <p>It is the stateful half that the pure package leaves out: the socket, the clocks (expirations, 500 ms reply
 * timeouts, the refresh timer), the endpoint proofs and the replies awaited. Everything runs on the one Vert.x context
 * the service was made on; what other threads may read ({@code nodes()}, {@code stats()}) is published as snapshots.
 *
 * <p>Behaviour is go-ethereum's ({@code p2p/discover/v4_udp.go}, {@code table.go}, {@code lookup.go}) where the two
 * implementations we meet differ: FindNode and ENRRequest are answered only to nodes that answered our Ping within
 * 24 hours, a Ping is always answered and an unknown pinger is pinged back before it enters the table, Neighbors are
 * taken only from nodes we asked. ethereumjs' DPT, which answers FindNode without proof and Pongs without enrSeq, is
 * met as it is.
 */
package org.peermesh.devp2p.discv4;
