'use strict';

// The mesh view: this node in the middle, its peers of every protocol around it, their traffic, and the cluster.
// It reads two addresses through the node's SockJS event-bus bridge (view.json names them): a snapshot every second,
// which says everything, and the peers' state changes between snapshots, for immediacy. Everything a peer chose (its
// id, its client's name) is written as text, never as markup.
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const COLOURS = {mesh: '#2563eb', bitcoin: '#ea8a1a', devp2p: '#7c3aed', antelope: '#059669'};
  const SPARE_COLOURS = ['#db2777', '#0891b2', '#65a30d', '#b45309'];
  const RING = 205;
  const STALE_AFTER_INTERVALS = 3;

  let snapshot = null;
  let receivedAt = 0;
  /** State changes since the last snapshot, by protocol and peer name. */
  let changes = new Map();

  const $ = (id) => document.getElementById(id);

  function colourOf(protocol) {
    if (!COLOURS[protocol]) {
      const used = Object.keys(COLOURS).length - 4;
      COLOURS[protocol] = SPARE_COLOURS[used % SPARE_COLOURS.length];
    }
    return COLOURS[protocol];
  }

  function keyOf(peer) {
    return peer.protocol + ' ' + peer.peer;
  }

  function shortId(id) {
    return !id ? '' : id.length <= 14 ? id : id.slice(0, 8) + '…' + id.slice(-4);
  }

  function bytes(n) {
    if (n === undefined || n === null) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0)) + ' ' + units[unit];
  }

  function rate(n) {
    return n === undefined || n === null ? '' : bytes(Math.round(n)) + '/s';
  }

  function count(n) {
    return n === undefined || n === null ? '' : n.toLocaleString('en');
  }

  function element(name, attributes, text) {
    const node = document.createElement(name);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setBus(state, text) {
    const bus = $('bus');
    bus.dataset.state = state;
    bus.textContent = text;
  }

  /** The peers to draw: the snapshot's, with the state changes heard since (and peers new since) applied. */
  function currentPeers() {
    const peers = (snapshot ? snapshot.peers : []).map((peer) => {
      const change = changes.get(keyOf(peer));
      return change ? Object.assign({}, peer, {state: change.state}) : peer;
    });
    const known = new Set(peers.map(keyOf));
    changes.forEach((change, key) => {
      if (!known.has(key) && change.state !== 'closed') peers.push(change);
    });
    return peers;
  }

  function render() {
    const peers = currentPeers();
    renderHeader();
    renderGraph(peers);
    renderPeers(peers);
    renderProtocols();
    renderCluster(peers);
    renderTotals(peers);
  }

  function renderHeader() {
    const node = snapshot ? snapshot.node : {};
    const id = $('node-id');
    id.textContent = node.peerId || (node.busPrefix ? 'bus prefix ' + node.busPrefix : '—');
    id.dataset.peerId = node.peerId || '';
  }

  // ------------------------------------------------------------------------------------------------ the graph

  function laneWidth(perSecond) {
    return perSecond > 0 ? Math.min(9, 1.5 + 1.6 * Math.log10(1 + perSecond / 64)) : 1.2;
  }

  function laneDuration(perSecond) {
    return Math.max(0.35, 2.4 / (1 + Math.log10(1 + perSecond / 256))).toFixed(2) + 's';
  }

  /** One direction of a peer's traffic: a line from the sender to the receiver, dashes flowing while bytes do. */
  function lane(from, to, offset, perSecond, colour, title) {
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    const ox = -dy / length * offset;
    const oy = dx / length * offset;
    const line = svg('line', {
      x1: from.x + ox, y1: from.y + oy, x2: to.x + ox, y2: to.y + oy,
      stroke: perSecond > 0 ? colour : '#cbd5e1',
      'stroke-width': laneWidth(perSecond).toFixed(2),
      'stroke-linecap': 'round',
      class: perSecond > 0 ? 'lane flowing' : 'lane',
    });
    if (perSecond > 0) line.style.animationDuration = laneDuration(perSecond);
    line.appendChild(svg('title', {}, title));
    return line;
  }

  function renderGraph(peers) {
    const graph = $('graph');
    graph.replaceChildren();
    const centre = {x: 0, y: 0};
    const ordered = peers.slice().sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const edges = svg('g', {class: 'edges'});
    const nodes = svg('g', {class: 'nodes'});
    graph.append(edges, nodes);

    if (ordered.length === 0) {
      nodes.appendChild(svg('circle', {r: RING, class: 'empty-ring'}));
      nodes.appendChild(svg('text', {y: RING + 34, 'text-anchor': 'middle', class: 'empty-text'},
          snapshot ? 'no peers yet: waiting for connections' : 'waiting for the node…'));
    }
    const self = snapshot ? snapshot.node.member : null;
    const labelled = ordered.length <= 48;
    ordered.forEach((peer, i) => {
      const angle = -Math.PI / 2 + 2 * Math.PI * (i + 0.5) / ordered.length;
      const at = {x: RING * Math.cos(angle), y: RING * Math.sin(angle)};
      const colour = colourOf(peer.protocol);
      const traffic = peer.traffic || {};
      const elsewhere = peer.member && self && peer.member !== self;
      const name = peer.peerId ? shortId(peer.peerId) : peer.peer;
      if (elsewhere) {
        edges.appendChild(svg('line', {x1: 0, y1: 0, x2: at.x, y2: at.y, class: 'elsewhere'}));
      } else if (peer.state === 'connected') {
        edges.appendChild(lane(centre, at, 3.2, traffic.bytesOutPerSecond || 0, colour,
            'to ' + name + ': ' + rate(traffic.bytesOutPerSecond || 0)));
        edges.appendChild(lane(at, centre, 3.2, traffic.bytesInPerSecond || 0, colour,
            'from ' + name + ': ' + rate(traffic.bytesInPerSecond || 0)));
      } else {
        edges.appendChild(svg('line', {x1: 0, y1: 0, x2: at.x, y2: at.y, class: 'pending'}));
      }
      const group = svg('g', {
        class: 'peer state-' + peer.state + (elsewhere ? ' elsewhere' : ''),
        transform: `translate(${at.x.toFixed(1)},${at.y.toFixed(1)})`,
        'data-peer': peer.peer,
        'data-protocol': peer.protocol,
      });
      group.appendChild(svg('circle', {r: 15, fill: peer.state === 'connected' ? colour : '#fff', stroke: colour}));
      group.appendChild(svg('text', {class: 'arrow', y: 5, 'text-anchor': 'middle'},
          peer.direction === 'outbound' ? '↗' : '↙'));
      group.appendChild(svg('title', {},
          `${peer.protocol} ${peer.direction} peer ${peer.peerId || ''} at ${peer.peer}, ${peer.state}`));
      if (labelled) {
        const right = Math.cos(angle) >= -0.01;
        const lx = Math.cos(angle) * 26;
        const ly = Math.sin(angle) * 26;
        const anchor = Math.abs(Math.cos(angle)) < 0.3 ? 'middle' : right ? 'start' : 'end';
        const dy = Math.abs(Math.cos(angle)) < 0.3 ? (Math.sin(angle) > 0 ? 14 : -18) : 0;
        group.appendChild(svg('text', {x: lx, y: ly + dy, 'text-anchor': anchor, class: 'peer-name'}, name));
        group.appendChild(svg('text', {x: lx, y: ly + dy + 14, 'text-anchor': anchor, class: 'peer-detail'},
            `${peer.protocol} · ${peer.direction} · ${peer.state}`));
      }
      nodes.appendChild(group);
    });

    const me = svg('g', {class: 'self'});
    me.appendChild(svg('circle', {r: 50}));
    me.appendChild(svg('text', {y: -4, 'text-anchor': 'middle', class: 'self-title'}, 'this node'));
    me.appendChild(svg('text', {y: 14, 'text-anchor': 'middle', class: 'self-id'},
        snapshot ? shortId(snapshot.node.peerId) || snapshot.node.busPrefix : ''));
    nodes.appendChild(me);

    const legend = $('legend');
    legend.replaceChildren();
    const protocols = new Set((snapshot ? snapshot.protocols : []).map((p) => p.name));
    peers.forEach((peer) => protocols.add(peer.protocol));
    protocols.forEach((protocol) => {
      const item = element('li');
      const swatch = element('span', {class: 'swatch'});
      swatch.style.background = colourOf(protocol);
      item.append(swatch, document.createTextNode(protocol));
      legend.appendChild(item);
    });
    legend.appendChild(element('li', {class: 'hint'}, '↗ we dialed · ↙ it dialed us · line width: bytes/s'));
  }

  // ------------------------------------------------------------------------------------------------ the tables

  function cell(field, text, value, className) {
    const td = element('td', {'data-field': field}, text);
    if (value !== undefined && value !== null) td.dataset.value = String(value);
    if (className) td.className = className;
    return td;
  }

  function renderPeers(peers) {
    const table = $('peers');
    table.classList.toggle('clustered', Boolean(snapshot && snapshot.cluster));
    const body = table.tBodies[0];
    body.replaceChildren();
    $('peer-count').textContent = peers.length ? String(peers.length) : '';
    if (peers.length === 0) {
      const row = element('tr', {class: 'empty'});
      row.appendChild(element('td', {colspan: '14'}, snapshot ? 'No peers yet.' : 'Waiting for the node…'));
      body.appendChild(row);
    }
    peers.forEach((peer) => {
      const traffic = peer.traffic || {};
      const row = element('tr', {
        class: 'peer state-' + peer.state,
        'data-protocol': peer.protocol,
        'data-peer': peer.peer,
        'data-peer-id': peer.peerId || '',
        'data-state': peer.state,
      });
      const protocol = cell('protocol', '');
      const dot = element('span', {class: 'swatch'});
      dot.style.background = colourOf(peer.protocol);
      protocol.append(dot, document.createTextNode(peer.protocol));
      const id = cell('peerId', shortId(peer.peerId), peer.peerId, 'mono');
      if (peer.peerId) id.title = peer.peerId;
      row.append(protocol, id,
          cell('peer', peer.peer, null, 'mono'),
          cell('direction', peer.direction),
          cell('state', peer.state, null, 'badge'),
          cell('client', peer.client || ''),
          cell('member', shortId(peer.member), peer.member, 'mono member'),
          cell('bytesIn', bytes(traffic.bytesIn), traffic.bytesIn, 'num'),
          cell('bytesOut', bytes(traffic.bytesOut), traffic.bytesOut, 'num'),
          cell('bytesInPerSecond', rate(traffic.bytesInPerSecond), traffic.bytesInPerSecond, 'num'),
          cell('bytesOutPerSecond', rate(traffic.bytesOutPerSecond), traffic.bytesOutPerSecond, 'num'),
          cell('framesIn', count(traffic.framesIn), traffic.framesIn, 'num'),
          cell('framesOut', count(traffic.framesOut), traffic.framesOut, 'num'),
          cell('latency', peer.latencyMicros === undefined ? '' : (peer.latencyMicros / 1000).toFixed(1) + ' ms',
              peer.latencyMicros, 'num'));
      body.appendChild(row);
    });
    const omitted = $('omitted');
    const left = snapshot ? snapshot.omittedPeers : 0;
    omitted.hidden = !left;
    omitted.textContent = left ? `${left} more peers are not shown (the view lists ${snapshot.peers.length}).` : '';
  }

  function renderProtocols() {
    const body = $('protocols').tBodies[0];
    body.replaceChildren();
    (snapshot ? snapshot.protocols : []).forEach((protocol) => {
      const row = element('tr', {'data-protocol': protocol.name});
      const name = element('td');
      const dot = element('span', {class: 'swatch'});
      dot.style.background = colourOf(protocol.name);
      name.append(dot, document.createTextNode(protocol.name));
      row.append(name, element('td', {class: 'mono'}, protocol.listen || 'dials only'),
          element('td', {class: 'num'}, protocol.connected));
      body.appendChild(row);
    });
  }

  function renderCluster(peers) {
    const list = $('members');
    list.replaceChildren();
    const note = $('cluster-note');
    if (!snapshot) {
      note.textContent = '—';
      return;
    }
    if (!snapshot.cluster) {
      note.textContent = 'Not clustered: the node is this one JVM.';
      return;
    }
    const members = snapshot.cluster.members;
    note.textContent = `${members.length} member${members.length === 1 ? '' : 's'}`;
    members.forEach((member) => {
      const held = peers.filter((peer) => peer.member === member).length;
      const item = element('li', {'data-member': member, class: member === snapshot.node.member ? 'self' : ''});
      item.append(element('code', {title: member}, shortId(member)),
          document.createTextNode(` ${member === snapshot.node.member ? '(this member) ' : ''}· ${held} peers`));
      list.appendChild(item);
    });
  }

  function renderTotals(peers) {
    const totals = {bytesIn: 0, bytesOut: 0, bytesInPerSecond: 0, bytesOutPerSecond: 0};
    peers.forEach((peer) => Object.keys(totals).forEach((k) => totals[k] += (peer.traffic || {})[k] || 0));
    const list = $('totals');
    list.replaceChildren();
    [['received', bytes(totals.bytesIn) + ' · ' + rate(totals.bytesInPerSecond)],
      ['sent', bytes(totals.bytesOut) + ' · ' + rate(totals.bytesOutPerSecond)]].forEach(([term, value]) => {
      list.append(element('dt', {}, term), element('dd', {}, value));
    });
  }

  // ------------------------------------------------------------------------------------------------ the bus

  function onSnapshot(body) {
    snapshot = body;
    receivedAt = Date.now();
    changes = new Map();
    setBus('open', 'live · updated ' + new Date(body.at).toLocaleTimeString('en-GB'));
    render();
  }

  function onStateChange(change) {
    changes.set(keyOf(change), change);
    render();
  }

  function connect(addresses) {
    const bus = new EventBus(new URL(addresses.bridge, location.href).href,
        {transports: ['websocket', 'xhr-streaming', 'xhr-polling']});
    bus.enableReconnect(true);
    bus.onopen = () => {
      setBus('open', 'live');
      bus.registerHandler(addresses.snapshot, (err, message) => {
        if (!err) onSnapshot(message.body);
      });
      bus.registerHandler(addresses.stateChange, (err, message) => {
        if (!err) onStateChange(message.body);
      });
    };
    bus.onclose = () => setBus('closed', 'disconnected: reconnecting…');
    bus.onerror = (err) => setBus('error', 'refused: ' + (err && (err.body || err.message) || 'unknown error'));
  }

  // A node that stops sending snapshots (stopped, or the network gone) is marked stale rather than shown as live.
  setInterval(() => {
    if (snapshot && Date.now() - receivedAt > STALE_AFTER_INTERVALS * snapshot.intervalMs) {
      setBus('stale', 'stale: no snapshot since ' + new Date(receivedAt).toLocaleTimeString('en-GB'));
    }
  }, 1000);

  render();
  fetch('view.json')
      .then((response) => response.ok ? response.json() : Promise.reject(new Error('view.json: ' + response.status)))
      .then(connect)
      .catch((err) => setBus('error', String(err.message || err)));
})();
