/* ken's topology page (gui_topology, docs/gui.md): the network from the
 * topology REST routes, kept live by ws_topology's WebSocket (JSON-RPC
 * calls as Ryu's ws_topology), drawn with cytoscape.js and listed in
 * tables. No polling for the topology; a selected switch's ports and
 * flows are polled from ofctl_rest once a second. */
"use strict";

(function () {
  var params = new URLSearchParams(location.search);
  var token = params.get("token");
  var POLL_MS = 1000;

  var model = { switches: new Map(), links: new Map(), hosts: new Map(), downPorts: new Set() };
  var selected = null;      /* dpid of the switch shown below */
  var lastStats = null;     /* {t, byPort} of the previous poll */
  var pollTimer = null;
  var ws = null;
  var retryMs = 500;
  var layoutWanted = false;
  var stats = { connects: 0, loads: 0, events: 0 };  /* for tests and the curious */

  var cy = cytoscape({
    container: document.getElementById("graph"),
    style: [
      { selector: "node.switch", style: { "shape": "round-rectangle", "background-color": "#1e88e5",
        "label": "data(label)", "color": "#fff", "text-valign": "center", "font-size": 11,
        "width": 86, "height": 30 } },
      { selector: "node.host", style: { "shape": "ellipse", "background-color": "#8e24aa", "label": "data(label)",
        "font-size": 9, "text-valign": "bottom", "width": 16, "height": 16 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#ffb300" } },
      { selector: "edge", style: { "width": 2, "line-color": "#607d8b", "target-arrow-color": "#607d8b",
        "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8,
        "source-label": "data(sport)", "target-label": "data(tport)", "source-text-offset": 18,
        "target-text-offset": 18, "font-size": 9 } },
      { selector: "edge.hostlink", style: { "line-color": "#ba68c8", "target-arrow-shape": "none",
        "line-style": "dashed" } },
      { selector: "edge.down", style: { "line-color": "#c62828", "target-arrow-color": "#c62828" } },
    ],
  });

  function hexToDec(dpid) { return BigInt("0x" + dpid).toString(); }
  function portDec(p) { return parseInt(p, 16); }
  function linkKey(l) {
    return l.src.dpid + ":" + portDec(l.src.port_no) + "-" + l.dst.dpid + ":" + portDec(l.dst.port_no);
  }
  function portKey(dpid, portNo) { return dpid + ":" + portNo; }
  function shortDpid(dpid) { return dpid.replace(/^0+(?=.)/, ""); }

  function api(path) {
    var headers = {};
    if (token) headers["Authorization"] = "Bearer " + token;
    return fetch(path, { headers: headers, cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function setStatus(state, text) {
    var s = document.getElementById("status");
    s.dataset.state = state;
    s.textContent = text;
  }

  /* ---- the model ---- */
  function putSwitch(sw) { model.switches.set(sw.dpid, sw); }
  function dropSwitch(sw) {
    model.switches.delete(sw.dpid);
    model.links.forEach(function (l, k) {
      if (l.src.dpid === sw.dpid || l.dst.dpid === sw.dpid) model.links.delete(k);
    });
    model.hosts.forEach(function (h, k) { if (h.port.dpid === sw.dpid) model.hosts.delete(k); });
  }
  function putLink(l) {
    model.links.set(linkKey(l), l);
    model.downPorts.delete(portKey(l.src.dpid, portDec(l.src.port_no)));
    model.downPorts.delete(portKey(l.dst.dpid, portDec(l.dst.port_no)));
  }
  function dropLink(l) { model.links.delete(linkKey(l)); }
  function putHost(h) { model.hosts.set(h.mac, h); }
  function dropHost(h) { model.hosts.delete(h.mac); }
  function portChanged(p) {
    var k = portKey(p.dpid, portDec(p.port_no));
    if (p.down) model.downPorts.add(k); else model.downPorts.delete(k);
    var sw = model.switches.get(p.dpid);
    if (!sw) return;
    var ports = sw.ports.filter(function (q) { return q.port_no !== p.port_no; });
    if (p.removed !== true) ports.push(p);
    ports.sort(function (a, b) { return portDec(a.port_no) - portDec(b.port_no); });
    sw.ports = ports;
  }

  /* A host's addresses come after it was found (ARP, IPv4, Neighbor
   * Discovery) with no event of their own: the hosts are read again 1 s
   * and 5 s after the last host event. */
  var hostsTimers = [];
  function hostsRead() {
    api("/v1.0/topology/hosts").then(function (hs) {
      model.hosts.clear();
      hs.forEach(putHost);
      render();
    }).catch(function () {});
  }
  function hostsLater() {
    hostsTimers.forEach(clearTimeout);
    hostsTimers = [setTimeout(hostsRead, 1000), setTimeout(hostsRead, 5000)];
  }

  var rpc = {
    event_switch_enter: function (sw) { putSwitch(sw); },
    event_switch_leave: function (sw) { dropSwitch(sw); },
    event_link_add: function (l) { putLink(l); },
    event_link_delete: function (l) { dropLink(l); },
    event_host_add: function (h) { putHost(h); hostsLater(); },
    event_host_delete: function (h) { dropHost(h); },
    event_host_move: function (m) { dropHost(m.src); putHost(m.dst); hostsLater(); },
    event_port_add: function (p) { portChanged(p); },
    event_port_modify: function (p) { portChanged(p); },
    event_port_delete: function (p) { p.removed = true; portChanged(p); },
  };

  /* ---- drawing and tables ---- */
  function row(tbody, attrs, cells) {
    var tr = document.createElement("tr");
    Object.keys(attrs).forEach(function (k) { tr.setAttribute(k, attrs[k]); });
    cells.forEach(function (c) {
      var td = document.createElement("td");
      if (typeof c === "object") { td.textContent = c.text; if (c.cls) td.className = c.cls; }
      else td.textContent = c;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    return tr;
  }

  function fillTable(id, items, make) {
    var table = document.getElementById(id);
    var tbody = table.tBodies[0];
    tbody.textContent = "";
    items.forEach(function (it) { make(tbody, it); });
    var count = table.querySelector("caption .count");
    if (count) count.textContent = String(items.length);
  }

  function sortedValues(map) {
    return Array.from(map.keys()).sort().map(function (k) { return map.get(k); });
  }

  function renderTables() {
    fillTable("switches", sortedValues(model.switches), function (tb, sw) {
      var tr = row(tb, { "data-dpid": sw.dpid }, [sw.dpid, sw.ports.map(function (p) {
        return portDec(p.port_no) + (p.down ? " (down)" : "");
      }).join(", ")]);
      if (sw.dpid === selected) tr.className = "selected";
      tr.addEventListener("click", function () { select(sw.dpid); });
    });
    fillTable("links", sortedValues(model.links), function (tb, l) {
      row(tb, { "data-link": linkKey(l) }, [l.src.dpid + ":" + portDec(l.src.port_no) + " (" + l.src.name + ")",
        l.dst.dpid + ":" + portDec(l.dst.port_no) + " (" + l.dst.name + ")"]);
    });
    fillTable("hosts", sortedValues(model.hosts), function (tb, h) {
      row(tb, { "data-mac": h.mac }, [h.mac, (h.ipv4 || []).concat(h.ipv6 || []).join(" "),
        h.port.dpid + ":" + portDec(h.port.port_no)]);
    });
  }

  function renderGraph() {
    var want = new Map();
    model.switches.forEach(function (sw) {
      want.set("s" + sw.dpid, { group: "nodes", classes: "switch",
        data: { id: "s" + sw.dpid, label: shortDpid(sw.dpid), dpid: sw.dpid } });
    });
    model.hosts.forEach(function (h) {
      if (!model.switches.has(h.port.dpid)) return;
      want.set("h" + h.mac, { group: "nodes", classes: "host", data: { id: "h" + h.mac, label: h.mac } });
      want.set("e" + h.mac, { group: "edges", classes: "hostlink", data: { id: "e" + h.mac,
        source: "h" + h.mac, target: "s" + h.port.dpid, sport: "", tport: String(portDec(h.port.port_no)) } });
    });
    model.links.forEach(function (l, k) {
      if (!model.switches.has(l.src.dpid) || !model.switches.has(l.dst.dpid)) return;
      var down = model.downPorts.has(portKey(l.src.dpid, portDec(l.src.port_no))) ||
        model.downPorts.has(portKey(l.dst.dpid, portDec(l.dst.port_no)));
      want.set("l" + k, { group: "edges", classes: down ? "down" : "", data: { id: "l" + k,
        source: "s" + l.src.dpid, target: "s" + l.dst.dpid, sport: String(portDec(l.src.port_no)),
        tport: String(portDec(l.dst.port_no)) } });
    });
    var added = false;
    cy.batch(function () {
      cy.elements().forEach(function (el) {
        if (!want.has(el.id())) { el.remove(); }
      });
      want.forEach(function (spec, id) {
        var el = cy.getElementById(id);
        if (el.empty()) { cy.add(spec); added = true; }
        else el.classes(spec.classes);
      });
    });
    if (added || layoutWanted) {
      layoutWanted = false;
      cy.layout({ name: "cose", animate: false, nodeRepulsion: function () { return 40000; },
        idealEdgeLength: function (e) { return e.hasClass("hostlink") ? 40 : 120; }, padding: 30 }).run();
    }
  }

  var renderPending = false;
  function render() {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(function () { renderPending = false; renderTables(); renderGraph(); });
    /* Hidden tabs get no animation frames: the tables must stay true there too. */
    setTimeout(function () { if (renderPending) { renderPending = false; renderTables(); renderGraph(); } }, 200);
  }

  cy.on("tap", "node.switch", function (ev) { select(ev.target.data("dpid")); });

  /* ---- a selected switch: ports and flows ---- */
  function num(n) { return { text: Number(n).toLocaleString("en"), cls: "num" }; }
  function rate(n) { return { text: n === null ? "" : (Math.round(n * 10) / 10).toLocaleString("en"), cls: "num" }; }

  function portState(d) {
    if (!d) return { text: "?" };
    var st = typeof d.state === "number" ? d.state : 0, cf = typeof d.config === "number" ? d.config : 0;
    if (cf & 1) return { text: "admin down", cls: "down" };
    if (st & 1) return { text: "link down", cls: "down" };
    return { text: "up" };
  }

  function poll() {
    if (!selected) return;
    var dpid = selected, dec = hexToDec(dpid);
    Promise.all([api("/stats/portdesc/" + dec), api("/stats/port/" + dec), api("/stats/flow/" + dec)])
      .then(function (r) {
        if (dpid !== selected) return;
        var descs = {}, now = performance.now(), byPort = {};
        (r[0][dec] || []).forEach(function (d) { descs[String(d.port_no)] = d; });
        var stats = (r[1][dec] || []).slice().sort(function (a, b) {
          return (typeof a.port_no === "number" ? a.port_no : 1e12) - (typeof b.port_no === "number" ? b.port_no : 1e12);
        });
        fillTable("ports", stats, function (tb, s) {
          var k = String(s.port_no), prev = lastStats && lastStats.byPort[k];
          var dt = prev ? (now - lastStats.t) / 1000 : 0;
          function per(f) { return prev && dt > 0 ? Math.max(0, (s[f] - prev[f]) / dt) : null; }
          byPort[k] = s;
          var d = descs[k];
          row(tb, { "data-port": k }, [k, d ? d.name : "", portState(d), rate(per("rx_packets")),
            rate(per("tx_packets")), rate(per("rx_bytes")), rate(per("tx_bytes")),
            num(s.rx_packets), num(s.tx_packets), num((s.rx_errors || 0) + (s.tx_errors || 0))]);
        });
        lastStats = { t: now, byPort: byPort };
        fillTable("flows", r[2][dec] || [], function (tb, f) {
          var acts = f.actions || (f.instructions ? JSON.stringify(f.instructions) : []);
          row(tb, {}, [String(f.table_id === undefined ? "" : f.table_id), String(f.priority),
            JSON.stringify(f.match), Array.isArray(acts) ? acts.join(", ") : String(acts),
            num(f.packet_count || 0), num(f.byte_count || 0)]);
        });
      })
      .catch(function (e) { console.warn("stats", e); })
      .then(function () { if (dpid === selected) pollTimer = setTimeout(poll, POLL_MS); });
  }

  function select(dpid) {
    if (pollTimer) clearTimeout(pollTimer);
    selected = dpid;
    lastStats = null;
    document.getElementById("detail").hidden = false;
    document.getElementById("detail-dpid").textContent = dpid;
    cy.nodes().unselect();
    cy.getElementById("s" + dpid).select();
    renderTables();
    poll();
  }

  /* ---- the live feed ---- */
  function loadAll() {
    return Promise.all([api("/v1.0/topology/switches"), api("/v1.0/topology/links"), api("/v1.0/topology/hosts")])
      .then(function (r) {
        model.switches.clear(); model.links.clear(); model.hosts.clear(); model.downPorts.clear();
        r[0].forEach(putSwitch); r[1].forEach(putLink); r[2].forEach(putHost);
        layoutWanted = true;
        stats.loads++;
        render();
      });
  }

  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1.0/topology/ws?events=all" +
      (token ? "&token=" + encodeURIComponent(token) : "");
    setStatus("connecting", "connecting");
    ws = new WebSocket(url);
    var queued = [];   /* events that came while the full picture loads */
    var loaded = false;
    ws.onopen = function () {
      stats.connects++;
      /* Subscribed first, then the full picture: nothing falls between. */
      loadAll().then(function () {
        loaded = true;
        queued.forEach(apply);
        queued = [];
        retryMs = 500;
        setStatus("live", "live");
        if (selected && !model.switches.has(selected)) selected = null;
      }).catch(function (e) {
        setStatus("down", "cannot load the topology: " + e.message);
        ws.close();
      });
    };
    function apply(msg) {
      var f = rpc[msg.method];
      if (f && Array.isArray(msg.params)) msg.params.forEach(f);
      render();
    }
    ws.onmessage = function (ev) {
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      stats.events++;
      if (msg.id !== undefined) ws.send(JSON.stringify({ id: msg.id, jsonrpc: "2.0", result: "" }));
      if (loaded) apply(msg); else queued.push(msg);
    };
    ws.onclose = function () {
      setStatus("down", "disconnected: retrying");
      ws = null;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  }

  window.kenTopology = { model: model, cy: cy, stats: stats };
  connect();
})();
