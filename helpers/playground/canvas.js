// The Playground's picture (helpers/playground/canvas.py sends the data; this file draws it).
// An anywidget ES module: no build step, plain DOM and canvases.
//
// Each frame is painted on canvases only: the diagram's links, maps and biases on one canvas,
// the output and the losses on theirs. The elements a learner points at (a transparent SVG
// path per link, a box per tile, a dot per bias) are built once per network and do not
// change while it trains, so a frame costs the page no style, layout or SVG work.
//
// Pacing: while running, each frame that arrives is stored, the kernel is asked for the next
// one at once ({type: "frame"}: it trains while the page paints), and the frame is drawn on
// the next animation frame (requestAnimationFrame). At most DEPTH (2) requests are in flight,
// so the kernel never idles for a round trip and never gets a backlog; pausing stops asking.

// Colour-blind-safe diverging palette (ColorBrewer PuOr ends, light grey middle): negative
// is purple, positive is orange; categorical classes use Okabe and Ito's palette.
const NEG = [84, 39, 136], MID = [247, 247, 247], POS = [230, 97, 1];
const CLASS_COLORS = [[0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 121, 167],
  [86, 180, 233]];
const SHAPES = ["circle", "square", "triangle", "diamond", "star"];
const FEATURE_NAMES = { "x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²",
  "x1*x2": "x₁x₂", "sin_x1": "sin x₁", "sin_x2": "sin x₂" };
const BOX = 6;  // the plotted square is [-6, 6]², as the TF Playground's
const NET_W = 450, NET_H = 372, OUT_PX = 250, LOSS_H = 78;
const MAX_LAYERS = 6, MAX_NEURONS = 8;
const DEPTH = 2;  // frame requests in flight at most

// A 256-entry lookup table t in [-1, 1] -> rgb on the diverging palette.
const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let k = 0; k < 256; k++) {
    const t = k / 127.5 - 1, end = t < 0 ? NEG : POS, a = Math.abs(t);
    for (let c = 0; c < 3; c++) lut[3 * k + c] = MID[c] + (end[c] - MID[c]) * a;
  }
  return lut;
})();

function lutIndex(t) {
  if (!(t === t)) return 127;  // NaN: the middle
  return Math.max(0, Math.min(255, Math.round((t + 1) * 127.5)));
}

function rgb(c, alpha = 1) { return `rgba(${c[0]},${c[1]},${c[2]},${alpha})`; }

function signColor(w, alpha = 1) {
  const k = lutIndex(Math.max(-1, Math.min(1, w < 0 ? -1 : 1)));
  return `rgba(${LUT[3 * k]},${LUT[3 * k + 1]},${LUT[3 * k + 2]},${alpha})`;
}

function el(tag, attrs = {}, parent = null, ns = null) {
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  if (parent) parent.appendChild(e);
  return e;
}
const SVG = "http://www.w3.org/2000/svg";

// Paint a res x res map (row 0 at the bottom) into an ImageData. scale: divide by it to get
// [-1, 1]; classes: (class, confidence) maps instead of one value.
function paintMap(img, data, offset, res, scale, classes = 0, conf = null) {
  const px = img.data;
  for (let r = 0; r < res; r++) {
    const src = (res - 1 - r) * res;  // flip: row 0 of the data is the bottom of the picture
    for (let c = 0; c < res; c++) {
      const o = 4 * (r * res + c);
      if (classes) {
        const k = data[offset + src + c], p = conf[offset + src + c];
        const col = CLASS_COLORS[k | 0] || MID;
        // confidence as lightness: 1/classes (a guess) is white, 1 is the full colour
        const a = Math.max(0, Math.min(1, (p - 1 / classes) / (1 - 1 / classes)));
        for (let ch = 0; ch < 3; ch++) px[o + ch] = MID[ch] + (col[ch] - MID[ch]) * a;
      } else {
        const k = 3 * lutIndex(data[offset + src + c] / scale);
        px[o] = LUT[k]; px[o + 1] = LUT[k + 1]; px[o + 2] = LUT[k + 2];
      }
      px[o + 3] = 255;
    }
  }
}

function drawShape(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === "square") ctx.rect(x - r, y - r, 2 * r, 2 * r);
  else if (shape === "triangle") {
    ctx.moveTo(x, y - 1.2 * r); ctx.lineTo(x + 1.1 * r, y + 0.8 * r);
    ctx.lineTo(x - 1.1 * r, y + 0.8 * r); ctx.closePath();
  } else if (shape === "diamond") {
    ctx.moveTo(x, y - 1.3 * r); ctx.lineTo(x + 1.3 * r, y); ctx.lineTo(x, y + 1.3 * r);
    ctx.lineTo(x - 1.3 * r, y); ctx.closePath();
  } else if (shape === "star") {
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + i * Math.PI / 5, q = i % 2 ? 0.55 * r : 1.4 * r;
      ctx.lineTo(x + q * Math.cos(a), y + q * Math.sin(a));
    }
    ctx.closePath();
  } else ctx.arc(x, y, r, 0, 2 * Math.PI);
}

// Is this page Voila's (the standalone app)? Its page config names the kernel it started and
// its rendering mode; JupyterLab's and Notebook's do not.
function isVoila() {
  const node = document.getElementById("jupyter-config-data");
  if (!node) return false;
  try {
    const config = JSON.parse(node.textContent);
    return "kernelId" in config && "progressiveRendering" in config;
  } catch (e) {
    return false;
  }
}

function fmt(x) {
  if (x === undefined || x === null || !isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? x.toExponential(2) : x.toFixed(3);
}

function render({ model, el: root }) {
  const ui = el("div", { class: "pg-canvas" }, root);
  const bar = el("div", { class: "pg-bar" }, ui);
  const play = el("button", { class: "pg-play", type: "button", title: "play / pause the training",
    "aria-label": "play" }, bar);
  const counter = el("span", { class: "pg-counter", "aria-live": "off" }, bar);
  const main = el("div", { class: "pg-main" }, ui);
  const net = el("div", { class: "pg-net", style: `width:${NET_W}px;height:${NET_H}px` }, main);
  const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));  // sharp on HiDPI
  const netCanvas = el("canvas", { class: "pg-net-canvas", width: NET_W * dpr,
    height: NET_H * dpr, style: `width:${NET_W}px;height:${NET_H}px`, "aria-hidden": "true" }, net);
  const netCtx = netCanvas.getContext("2d");
  const links = el("svg", { class: "pg-links", width: NET_W, height: NET_H }, net, SVG);
  const card = el("div", { class: "pg-card", role: "status" }, net);
  card.hidden = true;
  const side = el("div", { class: "pg-side" }, main);
  const outTitle = el("div", { class: "pg-title", text: "output" }, side);
  const out = el("canvas", { class: "pg-output", width: OUT_PX, height: OUT_PX,
    role: "img", "aria-label": "the network's output over the plane, with the points" }, side);
  const legend = el("div", { class: "pg-legend" }, side);
  const loss = el("canvas", { class: "pg-loss", width: OUT_PX, height: LOSS_H, role: "img",
    "aria-label": "train and test loss by epoch" }, side);
  const lossLegend = el("div", { class: "pg-legend" }, side);
  lossLegend.innerHTML = "<span class='pg-key pg-train'></span> train loss " +
    "<span class='pg-key pg-test'></span> test loss";

  const outCtx = out.getContext("2d"), lossCtx = loss.getContext("2d");
  const inApp = isVoila();
  const S = {  // everything the last frames brought
    meta: null, output: null, neurons: null, weights: null, train: [], test: [],
    points: null, focus: null, tiles: [], links: [], inFlight: 0, gone: false, outImage: null,
    mapCanvas: document.createElement("canvas"), tileCanvas: document.createElement("canvas"),
  };

  // --- pacing: one request in flight; drawing waits for the next animation frame
  function request() {
    // two requests at most: the kernel finds the next one waiting when it has sent a frame,
    // so it never idles for a round trip, and it never has more than one frame queued
    while (model.get("running") && !S.gone && S.inFlight < DEPTH) {
      S.inFlight += 1;
      model.send({ type: "frame" });
    }
  }
  function scheduleDraw() {
    if (S.drawScheduled) return;
    S.drawScheduled = true;
    requestAnimationFrame(() => { S.drawScheduled = false; draw(); });
  }
  function setPlaying(on) {
    play.textContent = on ? "❚❚ Pause" : "▶ Play";
    play.setAttribute("aria-label", on ? "pause" : "play");
    play.classList.toggle("pg-on", on);
  }
  play.addEventListener("click", () => {
    const on = !model.get("running");
    model.set("running", on);
    model.save_changes();
  });
  ui.tabIndex = -1;
  model.on("change:running", () => {
    setPlaying(model.get("running"));
    // after the click's save_changes has gone out: the kernel must know before it is asked
    setTimeout(request, 0);
  });
  model.on("change:show_test", () => drawOutput());
  model.on("change:url_hash", () => {
    const h = model.get("url_hash");
    // the app (Voila) shows the setting in its address; a notebook's address stays as it is
    if (inApp && window.location.hash !== h) {
      history.replaceState(null, "", h || window.location.pathname + window.location.search);
    }
  });

  model.on("msg:custom", (msg, buffers) => {
    if (msg && msg.type === "idle") {  // asked while the kernel thought we were paused
      S.inFlight = Math.max(0, S.inFlight - 1);
      requestAnimationFrame(request);
      return;
    }
    if (!msg || msg.type !== "frame") return;
    receive(msg, buffers.map((b) => new Float32Array(b.buffer, b.byteOffset,
      b.byteLength / 4)));
    S.inFlight = Math.max(0, S.inFlight - 1);
    request();
    scheduleDraw();
  });

  function receive(meta, bufs) {
    const [output, neurons, weights, losses, points] = bufs;
    const layoutChanged = !S.meta || meta.full ||
      JSON.stringify(meta.sizes) !== JSON.stringify(S.meta.sizes);
    if (output.length) S.output = output.slice();
    if (neurons.length) S.neurons = neurons.slice();
    S.weights = weights.slice();
    const n = meta.n_loss;
    if (meta.loss_from === 0) { S.train = []; S.test = []; }
    S.train.length = Math.min(S.train.length, meta.loss_from);
    S.test.length = Math.min(S.test.length, meta.loss_from);
    for (let i = 0; i < n; i++) { S.train.push(losses[i]); S.test.push(losses[n + i]); }
    if (points) { S.points = points.slice(); S.nTrain = meta.n_train; S.nTest = meta.n_test; }
    S.meta = meta;
    if (layoutChanged) buildDiagram();
  }

  // --- the diagram: a column of tiles per layer, the links drawn underneath
  function geometry() {
    const sizes = S.meta.sizes, cols = sizes.length;
    const rows = Math.max(...sizes);
    const colPitch = (NET_W - 20) / cols, rowPitch = (NET_H - 50) / Math.max(rows, 1);
    const tile = Math.floor(Math.max(14, Math.min(36, rowPitch - 8, colPitch * 0.5)));
    return { sizes, cols, colPitch, rowPitch, tile };
  }

  function tileXY(g, col, i) {
    const n = g.sizes[col];
    const x = 10 + g.colPitch * (col + 0.5) - g.tile / 2;
    const y = 26 + (NET_H - 50) / 2 + (i - n / 2) * g.rowPitch + (g.rowPitch - g.tile) / 2;
    return [x, y];
  }

  function buildDiagram() {
    for (const t of S.tiles) t.box.remove();
    for (const b of net.querySelectorAll(".pg-btn, .pg-head, .pg-bias")) b.remove();
    links.replaceChildren();
    S.tiles = []; S.links = [];
    const g = geometry(), m = S.meta, last = g.cols - 1;
    // links first (under the tiles): one path per weight, from tile i of col to tile j of col+1
    let offset = 0;
    for (let col = 0; col < last; col++) {
      const nIn = g.sizes[col], nOut = g.sizes[col + 1];
      for (let i = 0; i < nIn; i++) {
        for (let j = 0; j < nOut; j++) {
          const [x0, y0] = tileXY(g, col, i), [x1, y1] = tileXY(g, col + 1, j);
          const ax = x0 + g.tile, ay = y0 + g.tile / 2, bx = x1, by = y1 + g.tile / 2;
          const mx = (ax + bx) / 2;
          const d = `M${ax},${ay} C${mx},${ay} ${mx},${by} ${bx},${by}`;
          // the link is painted on the canvas; this wide, invisible path takes the mouse and
          // the keyboard focus (a thin link is still easy to hover)
          const p = el("path", { d, class: "pg-hit", tabindex: "0",
            "aria-label": `weight ${i + 1} to ${j + 1} of layer ${col + 1}` }, links, SVG);
          const link = { hit: p, ax, ay, bx, by, mx, layer: col, i, j,
            index: offset + i * nOut + j, shown: null };
          p.addEventListener("mouseenter", () => showCard(link));
          p.addEventListener("focus", () => showCard(link));
          p.addEventListener("mouseleave", () => { if (!S.editing) card.hidden = true; });
          p.addEventListener("click", () => editWeight(link));
          p.addEventListener("keydown", (e) => { if (e.key === "Enter") editWeight(link); });
          S.links.push(link);
        }
      }
      offset += nIn * nOut + nOut;  // the weights, then the biases, of this layer
    }
    // tiles
    let tileIndex = 0;
    for (let col = 0; col < g.cols; col++) {
      for (let i = 0; i < g.sizes[col]; i++) {
        const [x, y] = tileXY(g, col, i);
        // the map is painted on the canvas; this box frames it and takes the mouse and focus
        const c = el("div", { class: "pg-tile", tabindex: "0", role: "img",
          style: `left:${x}px;top:${y}px;width:${g.tile}px;height:${g.tile}px` }, net);
        const isOut = col === last;
        const label = col === 0 ? FEATURE_NAMES[m.features[i]] || m.features[i]
          : isOut ? `output ${g.sizes[col] > 1 ? i + 1 : ""}` : `layer ${col} · neuron ${i + 1}`;
        c.setAttribute("aria-label", label);
        c.title = label;
        const tile = { box: c, x, y, col, i, index: isOut ? -1 : tileIndex++, label, bias: null };
        if (col > 0) {  // the bias dot is painted; this circle is its hover target
          tile.bias = el("div", { class: "pg-bias", title: "bias",
            style: `left:${x - 7}px;top:${y + g.tile - 6}px` }, net);
          tile.bias.addEventListener("mouseenter", () => {
            tile.bias.title = `bias ${fmt(biasOf(tile))}`;
          });
        }
        const enter = () => { S.focus = tile; drawOutput(); };
        const leave = () => { S.focus = null; drawOutput(); };
        c.addEventListener("mouseenter", enter); c.addEventListener("focus", enter);
        c.addEventListener("mouseleave", leave); c.addEventListener("blur", leave);
        S.tiles.push(tile);
      }
    }
    // headings and the +/- buttons
    const hidden = g.sizes.slice(1, last);
    for (let col = 0; col < g.cols; col++) {
      const cx = 10 + g.colPitch * (col + 0.5);
      const head = el("div", { class: "pg-head", style: `left:${cx - 40}px;top:2px` }, net);
      head.textContent = col === 0 ? "features" : col === last ? "output" : `${g.sizes[col]}`;
      if (col > 0 && col < last) {  // [−] n [+]: the neurons of this layer
        head.title = `layer ${col}: ${g.sizes[col]} neurons`;
        const less = hidden.map((n, k) => (k === col - 1 ? n - 1 : n));
        const more = hidden.map((n, k) => (k === col - 1 ? n + 1 : n));
        button(`left:${cx - 23}px;top:2px`, "−", `fewer neurons in layer ${col}`,
          hidden[col - 1] > 1, less);
        button(`left:${cx + 4}px;top:2px`, "+", `more neurons in layer ${col}`,
          hidden[col - 1] < MAX_NEURONS, more);
      }
    }
    const layers = el("div", { class: "pg-head pg-layers", style: `left:${NET_W / 2 - 70}px;` +
      `top:${NET_H - 16}px`, text: `${hidden.length} hidden layer${hidden.length === 1 ? "" : "s"}` }, net);
    button(`left:${NET_W / 2 - 100}px;top:${NET_H - 20}px`, "−", "one hidden layer fewer",
      hidden.length > 0, hidden.slice(0, -1));
    button(`left:${NET_W / 2 + 80}px;top:${NET_H - 20}px`, "+", "one hidden layer more",
      hidden.length < MAX_LAYERS, [...hidden, hidden.length ? hidden[hidden.length - 1] : 2]);
    layers.setAttribute("aria-hidden", "true");
  }

  function button(style, text, label, enabled, hidden) {
    const b = el("button", { class: "pg-btn", type: "button", style, title: label,
      "aria-label": label, text }, net);
    b.disabled = !enabled;
    b.addEventListener("click", () => model.send({ type: "hidden", hidden }));
  }

  function weightOf(link) { return S.weights[link.index]; }

  function showCard(link) {
    if (S.editing) return;
    const [x0, y0] = tileXY(geometry(), link.layer, link.i);
    const w = weightOf(link);
    card.style.pointerEvents = "none";  // a card never hides the link under the pointer
    card.textContent = `Weight is ${fmt(w)}. Click to edit.`;
    card.style.left = `${Math.min(NET_W - 170, x0 + 20)}px`;
    card.style.top = `${Math.max(0, y0 - 24)}px`;
    card.hidden = false;
  }

  function editWeight(link) {
    showCard(link);
    S.editing = true;
    card.style.pointerEvents = "auto";
    card.replaceChildren();
    el("span", { text: "Weight: " }, card);
    const input = el("input", { type: "text", class: "pg-edit", value: fmt(weightOf(link)),
      "aria-label": "new weight" }, card);
    input.focus(); input.select();
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        const v = Number(input.value);
        if (input.value.trim() === "" || !isFinite(v)) {
          input.classList.add("pg-bad");
          input.title = "a number, like -0.5";
          return;
        }
        model.send({ type: "set_weight", layer: link.layer, i: link.i, j: link.j, value: v });
        input.blur();
      } else if (e.key === "Escape") input.blur();
    });
    input.addEventListener("blur", () => { S.editing = false; card.hidden = true; });
  }

  // --- drawing
  function draw() {
    const m = S.meta;
    if (!m) return;
    drawCounter(); drawOutput(); drawDiagram(); drawLoss();
  }

  function drawCounter() {
    const m = S.meta, parts = [`Epoch ${m.epoch.toLocaleString("en-US")}`];
    parts.push(`updates ${m.iterations.toLocaleString("en-US")}`);
    if (m.train_loss !== undefined) {
      parts.push(`train loss ${m.train_loss.toFixed(3)}`, `test loss ${m.test_loss.toFixed(3)}`);
      if (m.test_accuracy !== undefined) parts.push(`test accuracy ${(100 * m.test_accuracy).toFixed(1)} %`);
    }
    if (m.diverged) parts.push("diverged");
    counter.textContent = parts.join(" · ");
    counter.dataset.epoch = m.epoch;
  }

  // the bias of a tile's neuron: after its layer's weights in the weights buffer
  function biasOf(tile) {
    const sizes = S.meta.sizes;
    let offset = 0;
    for (let col = 0; col + 1 < tile.col; col++) offset += sizes[col] * sizes[col + 1] + sizes[col + 1];
    return S.weights[offset + sizes[tile.col - 1] * sizes[tile.col] + tile.i];
  }

  // One canvas for the whole diagram: the links (colour by sign, width by |w|), then each
  // tile's map, then the bias dots (colour by sign, size by |b|).
  function drawDiagram() {
    const m = S.meta, ctx = netCtx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, NET_W, NET_H);
    if (!S.weights) return;
    let peak = 0;
    for (const l of S.links) peak = Math.max(peak, Math.abs(weightOf(l)));
    // thinner and lighter when there are many
    const widest = S.links.length > 120 ? 3 : 6, alpha = S.links.length > 120 ? 0.6 : 0.85;
    for (const l of S.links) {
      const w = weightOf(l);
      ctx.beginPath();
      ctx.moveTo(l.ax, l.ay);
      ctx.bezierCurveTo(l.mx, l.ay, l.mx, l.by, l.bx, l.by);
      ctx.lineWidth = Math.max(0.05, widest * Math.abs(w) / (peak || 1));
      ctx.strokeStyle = signColor(w, alpha);
      ctx.stroke();
      if (l.shown !== w) { l.shown = w; l.hit.dataset.weight = w; }  // read by the hover card
    }
    const g = geometry(), r = m.nres, size = r * r, tc = S.tileCanvas;
    if (S.neurons) {
      if (tc.width !== r) tc.width = tc.height = r;
      const tctx = tc.getContext("2d"), img = new ImageData(r, r);
      ctx.imageSmoothingEnabled = true;
      for (const t of S.tiles) {
        ctx.fillStyle = rgb(MID);
        ctx.fillRect(t.x, t.y, g.tile, g.tile);
        if (t.index < 0) {  // the output tile: the output map, drawn small
          if (S.outImage) ctx.drawImage(S.mapCanvas, t.x, t.y, g.tile, g.tile);
          continue;
        }
        const off = t.index * size;
        let top = 0;
        for (let k = 0; k < size; k++) top = Math.max(top, Math.abs(S.neurons[off + k]));
        paintMap(img, S.neurons, off, r, top > 0 ? top : 1);
        tctx.putImageData(img, 0, 0);
        ctx.drawImage(tc, t.x, t.y, g.tile, g.tile);
      }
    }
    for (const t of S.tiles) {
      if (!t.bias) continue;
      const b = biasOf(t), d = 4 + Math.min(6, 6 * Math.abs(b));
      ctx.beginPath();
      ctx.arc(t.x - 7 + d / 2, t.y + g.tile - 6 + d / 2, d / 2, 0, 2 * Math.PI);
      ctx.fillStyle = signColor(b);
      ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = "#666"; ctx.stroke();
    }
  }

  function drawOutput() {
    const m = S.meta;
    if (!m || !S.output) return;
    const res = m.res, mc = S.mapCanvas;
    if (mc.width !== res) { mc.width = mc.height = res; }
    const mctx = mc.getContext("2d");
    const img = new ImageData(res, res);
    const focus = S.focus && S.focus.index >= 0 ? S.focus : null;
    if (focus) {  // a hovered neuron: its map, large
      const r = m.nres, size = r * r, off = focus.index * size;
      let peak = 0;
      for (let k = 0; k < size; k++) peak = Math.max(peak, Math.abs(S.neurons[off + k]));
      const small = new ImageData(r, r);
      paintMap(small, S.neurons, off, r, peak || 1);
      const tmp = document.createElement("canvas");
      tmp.width = tmp.height = r;
      tmp.getContext("2d").putImageData(small, 0, 0);
      outCtx.imageSmoothingEnabled = true;
      outCtx.drawImage(tmp, 0, 0, OUT_PX, OUT_PX);
      outTitle.textContent = focus.label;
    } else {
      if (m.classes > 2) paintMap(img, S.output, 0, res, 1, m.classes, S.output.subarray(res * res));
      else if (m.problem === "classification") {  // P(class 1) in [0, 1] -> [-1, 1]
        const two = new Float32Array(res * res);
        for (let k = 0; k < two.length; k++) two[k] = 2 * S.output[k] - 1;
        paintMap(img, two, 0, res, 1);
      } else paintMap(img, S.output, 0, res, 1);
      mctx.putImageData(img, 0, 0);
      S.outImage = true;
      outCtx.imageSmoothingEnabled = true;
      outCtx.drawImage(mc, 0, 0, OUT_PX, OUT_PX);
      outTitle.textContent = "output";
    }
    drawPoints();
    drawLegend();
  }

  function drawPoints() {
    const m = S.meta, P = S.points;
    if (!P) return;
    const s = OUT_PX / (2 * BOX), n = S.nTrain, total = S.nTrain + S.nTest;
    for (let k = 0; k < total; k++) {
      const test = k >= n;
      if (test && !model.get("show_test")) continue;
      const x = (P[3 * k] + BOX) * s, y = OUT_PX - (P[3 * k + 1] + BOX) * s, v = P[3 * k + 2];
      let fill, shape;
      if (m.classes > 2) { fill = rgb(CLASS_COLORS[v | 0]); shape = SHAPES[v | 0]; }
      else if (m.problem === "classification") {
        fill = rgb(v > 0.5 ? POS : NEG); shape = v > 0.5 ? "circle" : "square";
      } else {
        const k3 = 3 * lutIndex(Math.max(-1, Math.min(1, v)));
        fill = `rgb(${LUT[k3]},${LUT[k3 + 1]},${LUT[k3 + 2]})`; shape = "circle";
      }
      drawShape(outCtx, shape, x, y, 3);
      outCtx.fillStyle = fill; outCtx.fill();
      outCtx.lineWidth = test ? 1.4 : 0.8;
      outCtx.strokeStyle = test ? "#000" : "#fff";
      outCtx.stroke();
    }
  }

  function drawLegend() {
    const m = S.meta;
    let html = "";
    if (m.classes > 2) {
      const acc = m.class_accuracy || [];
      for (let c = 0; c < m.classes; c++) {
        const a = acc[c] === undefined ? "" : ` ${(100 * acc[c]).toFixed(0)} %`;
        html += `<span class="pg-cls" style="color:${rgb(CLASS_COLORS[c])}">` +
          `${"●■▲◆★"[c]}</span> class ${c}${a} `;
      }
    } else if (m.problem === "classification") {
      html = `<span style="color:${rgb(NEG)}">■</span> class 0 ` +
        `<span style="color:${rgb(POS)}">●</span> class 1 · white edge: train, black: test`;
    } else {
      html = `<span style="color:${rgb(NEG)}">■</span> −1 … ` +
        `<span style="color:${rgb(POS)}">■</span> +1`;
    }
    if (legend.innerHTML !== html) legend.innerHTML = html;
  }

  function drawLoss() {
    const W = OUT_PX, H = LOSS_H, n = S.train.length;
    lossCtx.clearRect(0, 0, W, H);
    lossCtx.strokeStyle = "#ccc"; lossCtx.strokeRect(0.5, 0.5, W - 1, H - 1);
    if (!n) return;
    let top = 0;
    for (let k = 0; k < n; k++) top = Math.max(top, S.train[k], S.test[k]);
    top = top > 0 && isFinite(top) ? top * 1.05 : 1;
    const span = Math.max(10, n);
    for (const [ys, color, dash] of [[S.test, "#000", [4, 3]], [S.train, rgb(NEG), []]]) {
      lossCtx.beginPath();
      lossCtx.setLineDash(dash);
      const step = Math.max(1, Math.floor(n / W));  // at most one point per pixel
      for (let k = 0; k < n; k += step) {
        const x = 2 + (W - 4) * (k + 1) / span, y = H - 2 - (H - 4) * ys[k] / top;
        if (k === 0) lossCtx.moveTo(x, y); else lossCtx.lineTo(x, y);
      }
      lossCtx.strokeStyle = color; lossCtx.lineWidth = 1.5; lossCtx.stroke();
    }
    lossCtx.setLineDash([]);
  }

  setPlaying(model.get("running"));
  // the standalone app (Voila) opens the setting in its address; JupyterLab's is not ours

  model.send({ type: "hello", hash: inApp ? window.location.hash : "",
    base: inApp ? window.location.href.split("#")[0] : null });
  return () => { S.gone = true; };  // removed from the page: ask for nothing more
}

export default { render };
