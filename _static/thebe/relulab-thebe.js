/*
 * Live Code with thebe 0.9.3, served from this site: _extra/thebe/lib in the repository, /thebe/lib
 * on the site, copied unchanged from the npm package (see _extra/thebe/SOURCE.txt, `make vendor-thebe`).
 * (It is not under _static because Jupyter Book adds every .js file there to every page.)
 *
 * sphinx-thebe 0.3.1 (Jupyter Book 1) loads thebe 0.8.2 from a CDN when the reader clicks
 * "Live Code", but only if `window.thebelab` is not defined yet. This script defines a small
 * `thebelab` that sphinx-thebe then uses instead: its bootstrap() loads the self-hosted thebe and
 * starts it with the options thebe 0.9 expects, which differ from what sphinx-thebe writes:
 *   - bootstrap must be called with `requestKernel: true` (thebe 0.9 reads that flag from the
 *     argument, not from the page config, and otherwise never starts a kernel);
 *   - the kernel is `kernelOptions.kernelName` (sphinx-thebe writes `kernelOptions.name`);
 *   - thebe 0.9 pairs the n-th code cell with the n-th output, so every code cell without an
 *     output gets an empty output placeholder first;
 *   - sphinx-thebe moves each output next to its source, which for a cell with hidden input
 *     (`hide-input`) is inside the collapsed <details>: the output goes back after it, visible;
 *   - thebe's own MathJax 2 (from a CDN) is switched off: it would replace the page's MathJax 3.
 *     Instead, the maths of every Markdown or LaTeX output a re-run cell shows is typeset by the
 *     page's MathJax 3 (the site's own copy, _extra/mathjax) as soon as it appears: the TeX reaches
 *     the page as text ($x$, $$x$$, \(x\), \[x\]), inline $x$ is rewritten as \(x\) (the page's
 *     MathJax reads no single dollars), then MathJax typesets the output;
 *   - thebe 0.9 has no Markdown parser, so it shows a Markdown output as its source in a <pre>. The
 *     chapters' Markdown outputs are tables and sentences: markdownToHtml renders that subset
 *     (paragraphs, pipe tables, `code`, **bold**, *italics*, [links](url); maths left for MathJax).
 *     `window.relulabThebeTypeset()` resolves when every output seen so far is typeset (thebe
 *     replaces `window.thebelab` once it runs);
 *   - cells tagged `remove-input` (imports, constants, computations later cells use, glue) have no
 *     input on the page, so thebe never sees them: _ext/hidden_cells.py writes each one's source into
 *     its cell as a <script type="application/json" class="relulab-hidden-cell">, which nothing
 *     displays. Every visible cell's execute (its run button, "run all", "restart & run all") first
 *     runs, in page order, each hidden cell above it not yet run since the kernel (re)started; all
 *     executions go through one queue, so "run all" keeps the page order. A hidden cell's outputs are
 *     dropped (the page shows them already); if it fails, the visible cell shows that error instead
 *     of running. "restart & run all" restarts the kernel first (thebe 0.9.3's only runs all).
 *     `window.relulabThebeHidden()` says which hidden cells ran, how often, with what error or stderr;
 *   - widgets: thebe 0.9.3 fetches require.js from a CDN before loading any widget class, and offline
 *     that fetch fails and leaves the widget, the kernel connection's message queue and every later
 *     cell busy forever (it is what kept relulab.interactive figures busy). Classes of the ipywidgets
 *     modules thebe bundles (base, controls, output) are taken from the bundle instead, so an
 *     interactive figure shows its live sliders; a widget of another module (an anywidget explorable)
 *     keeps a plain model and its cell shows its text/html view, started by the page's explorables host.
 * Nothing is loaded until the reader clicks Live Code, and nothing from another origin.
 */
(function () {
  "use strict";
  if (typeof window.thebelab !== "undefined") return;
  var script = document.currentScript;
  // this file is <site root>/_static/thebe/relulab-thebe.js; thebe is <site root>/thebe/lib/
  var base = (script ? script.src.replace(/_static\/thebe\/[^/]*$/, "") : "/") + "thebe/";
  var handlers = [];
  var loading = null;

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "lib/thebe.css";
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = base + "lib/index.js";
      js.onload = function () { resolve(window.thebe); };
      js.onerror = function () { reject(new Error("could not load " + js.src)); };
      document.head.appendChild(js);
    });
    return loading;
  }

  function pairOutputs() {
    document.querySelectorAll("[data-executable]").forEach(function (source) {
      var next = source.nextElementSibling;
      var output = next && next.hasAttribute("data-output") ? next : null;
      if (!output) {
        output = document.createElement("div");
        output.setAttribute("data-output", "");
        output.className = "cell_output relulab-thebe-output";
        source.insertAdjacentElement("afterend", output);
      }
      var hidden = source.closest("details");
      if (hidden && hidden.contains(output)) hidden.insertAdjacentElement("afterend", output);
    });
  }

  var typesetting = Promise.resolve();
  var DOLLARS = /\$\$([^$]+)\$\$|\$([^\s$](?:[^$]*[^\s$])?)\$/g;

  function dollarsToDelimiters(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement && node.parentElement.closest("code, pre, mjx-container")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      if (text.indexOf("$") < 0) return;
      node.nodeValue = text.replace(DOLLARS, function (_, display, inline) {
        return display !== undefined ? "\\[" + display + "\\]" : "\\(" + inline + "\\)";
      });
    });
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // Inline Markdown: code spans and maths are kept verbatim (escaped), the rest gets emphasis and links.
  function inline(text) {
    var kept = [];
    var keep = function (html) { kept.push(html); return "\u0000" + (kept.length - 1) + "\u0000"; };
    text = text.replace(/`([^`]+)`/g, function (_, code) { return keep("<code>" + escapeHtml(code) + "</code>"); });
    text = text.replace(DOLLARS, function (math) { return keep(escapeHtml(math)); });
    text = escapeHtml(text)
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, "$1<em>$2</em>")
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, function (_, label, url) {
        return /^(https?:|#|\.{0,2}\/)/.test(url) ? '<a href="' + url + '">' + label + "</a>" : label;
      });
    return text.replace(/\u0000(\d+)\u0000/g, function (_, i) { return kept[+i]; });
  }

  function cells(row) {
    return row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map(function (c) { return c.trim(); });
  }

  function markdownToHtml(source) {
    return source.split(/\n\s*\n/).map(function (block) {
      var lines = block.trim().split("\n");
      if (!lines[0]) return "";
      if (lines.length >= 2 && lines.every(function (l) { return /^\s*\|/.test(l); })
          && /^[\s|:-]+$/.test(lines[1])) {
        var align = cells(lines[1]).map(function (c) {
          return /^:-+:$/.test(c) ? "center" : /-:$/.test(c) ? "right" : "";
        });
        var row = function (l, tag) {
          return "<tr>" + cells(l).map(function (c, i) {
            return "<" + tag + (align[i] ? ' style="text-align: ' + align[i] + '"' : "") + ">" + inline(c) + "</" + tag + ">";
          }).join("") + "</tr>";
        };
        return "<table><thead>" + row(lines[0], "th") + "</thead><tbody>"
          + lines.slice(2).map(function (l) { return row(l, "td"); }).join("") + "</tbody></table>";
      }
      return "<p>" + inline(lines.join("\n")) + "</p>";
    }).join("\n");
  }

  function renderMarkdownSource(el) {
    var pre = el.children.length === 1 && el.firstElementChild.tagName === "PRE" ? el.firstElementChild : null;
    if (pre && el.matches(".jp-RenderedMarkdown")) el.innerHTML = markdownToHtml(pre.textContent);
  }

  function typesetOutputs(records) {
    var targets = [];
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) return;
        var found = node.matches(".jp-RenderedMarkdown, .jp-RenderedLatex") ? [node] : [];
        found = found.concat([].slice.call(node.querySelectorAll(".jp-RenderedMarkdown, .jp-RenderedLatex")));
        found.forEach(function (el) {
          if (el.closest("[data-output], .thebe-output") && targets.indexOf(el) < 0) targets.push(el);
        });
      });
    });
    if (!targets.length) return;
    targets.forEach(renderMarkdownSource);
    if (!window.MathJax || !window.MathJax.typesetPromise) return;
    targets.forEach(dollarsToDelimiters);
    typesetting = typesetting.then(function () {
      return window.MathJax.typesetPromise(targets);
    }).catch(function (err) { console.error("relulab-thebe: MathJax could not typeset an output", err); });
  }

  window.relulabThebeTypeset = function () { return typesetting; };

  // The widget modules thebe bundles. thebe 0.9.3 fetches require.js from a CDN before it loads any widget
  // class, even these, and a failed fetch leaves the widget, the kernel connection's message queue and so every
  // later cell waiting forever: classes of these modules are taken from thebe's bundle directly instead.
  var BUNDLED_WIDGETS = ["@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"];
  var WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";

  function localWidgets(manager) {
    if (!manager || typeof manager.loadClass !== "function") return;
    var inherited = Object.getPrototypeOf(Object.getPrototypeOf(manager));
    if (!inherited || typeof inherited.loadClass !== "function") return;
    // A widget of another module (an anywidget explorable) would need code from a CDN: its model is kept as a
    // plain WidgetModel (state only) and its output shows the cell's text/html view, as the static page does.
    var standIns = {};
    var newModel = manager.new_model;
    manager.new_model = function (options) {
      var id = options && (options.model_id || (options.comm && options.comm.comm_id));
      if (id && BUNDLED_WIDGETS.indexOf(options.model_module) < 0) standIns[id] = options.model_module;
      return newModel.apply(this, arguments);
    };
    manager.loadClass = function (className, moduleName, moduleVersion) {
      if (BUNDLED_WIDGETS.indexOf(moduleName) >= 0) {
        return inherited.loadClass.call(this, className, moduleName, moduleVersion);
      }
      var stand = /Model$/.test(className) ? "WidgetModel" : "DOMWidgetView";
      return inherited.loadClass.call(this, stand, "@jupyter-widgets/base", "2.0.0");
    };
    var rendermime = manager.rendermime;
    if (rendermime && typeof rendermime.preferredMimeType === "function") {
      var preferred = rendermime.preferredMimeType.bind(rendermime);
      rendermime.preferredMimeType = function (bundle, safe) {
        var view = bundle && bundle[WIDGET_VIEW];
        if (view && standIns[view.model_id] && bundle["text/html"] !== undefined) return "text/html";
        return preferred(bundle, safe);
      };
    }
  }

  // An explorable's text/html view shown by a re-run cell is started by the page's own explorables host, as
  // on the static page: a fresh instance of host.mjs (another query string) mounts every explorable on the page
  // not mounted yet, which is the new one (the views it imports are the page's, already loaded).
  var hostRuns = 0;

  function mountExplorables(records) {
    var waiting = false;
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) return;
        var roots = node.matches("[data-relulab-explorable]") ? [node] : [];
        roots = roots.concat([].slice.call(node.querySelectorAll("[data-relulab-explorable]")));
        roots.forEach(function (root) {
          if (!root.dataset.relulabMounted && root.closest("[data-output], .thebe-output")) waiting = true;
        });
      });
    });
    var host = document.querySelector('script[type="module"][src*="explorables/host.mjs"]');
    if (!waiting || !host) return;
    var url = new URL(host.src);
    hostRuns += 1;
    url.searchParams.set("relulab-live", String(hostRuns));
    import(url.href).catch(function (err) {
      console.error("relulab-thebe: the explorable could not start", err);
    });
  }

  // The sources of the page's remove-input cells (written by _ext/hidden_cells.py), in page order.
  var hiddenCells = [];

  function readHiddenCells() {
    return [].slice.call(document.querySelectorAll("script.relulab-hidden-cell")).map(function (el, i) {
      return { index: i, el: el, source: JSON.parse(el.textContent), ran: false, runs: 0, error: null, stderr: "" };
    });
  }

  // Run one hidden cell in the kernel; its display outputs are dropped (the page already shows them).
  function runHidden(kernel, hidden) {
    var future = kernel.requestExecute({ code: hidden.source });
    var error = null;
    var stderr = "";
    future.onIOPub = function (msg) {
      var type = msg.header.msg_type;
      if (type === "error") error = msg.content;
      else if (type === "stream" && msg.content.name === "stderr") stderr += msg.content.text;
    };
    return future.done.then(function (reply) {
      hidden.runs += 1;
      hidden.stderr += stderr;
      if (stderr) console.warn("relulab-thebe: hidden cell " + (hidden.index + 1) + " wrote to stderr:\n" + stderr);
      if (!error && reply && reply.content && reply.content.status === "error") error = reply.content;
      hidden.error = error;
      hidden.ran = !error;
      return error;
    }, function (err) {
      hidden.error = { ename: "Error", evalue: String(err && err.message || err), traceback: [] };
      return hidden.error;
    });
  }

  function hiddenBefore(cell) {
    var box = document.querySelector('[data-thebe-id="' + cell.id + '"]');
    if (!box) return [];
    return hiddenCells.filter(function (h) {
      return !h.ran && (h.el.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
  }

  function showHiddenFailure(cell, hidden, error) {
    cell.clear();
    cell.render([
      { output_type: "stream", name: "stderr",
        text: "This cell needs the page's hidden setup code (hidden cell " + (hidden.index + 1)
          + " of " + hiddenCells.length + ", run before it), which failed:\n" },
      { output_type: "error", ename: error.ename || "Error", evalue: error.evalue || "",
        traceback: error.traceback || [] },
    ]);
  }

  // Before a visible cell runs (its run button, "run all", "restart & run all": all call cell.execute),
  // every hidden cell above it that has not run since the kernel started runs first, in page order.
  // Executions go through one queue, so "run all" keeps the page order.
  function runHiddenCellsFirst(notebook, session) {
    hiddenCells = readHiddenCells();
    var queue = Promise.resolve();
    var kernel = function () { return session.kernel; };
    var reset = function () { hiddenCells.forEach(function (h) { h.ran = false; }); };
    if (kernel() && kernel().statusChanged) {
      kernel().statusChanged.connect(function (_, status) {
        if (status === "restarting" || status === "autorestarting" || status === "dead") reset();
      });
    }
    (notebook.cells || []).forEach(function (cell) {
      var execute = cell.execute.bind(cell);
      cell.execute = function (source) {
        if (!cell.isBusy) cell.setAsBusy();
        var run = queue.then(function () {
          var pending = hiddenBefore(cell);
          var next = function (i) {
            if (i >= pending.length) return execute(source);
            return runHidden(kernel(), pending[i]).then(function (error) {
              if (!error) return next(i + 1);
              showHiddenFailure(cell, pending[i], error);
              cell.setAsIdle();
              return { id: cell.id, error: [error] };
            });
          };
          return kernel() ? next(0) : execute(source);
        });
        queue = run.catch(function () { return null; });
        return run;
      };
    });
    // thebe 0.9.3's "restart & run all" only runs all; it restarts the kernel first here.
    document.querySelectorAll(".thebe-restartall-button").forEach(function (button) {
      button.onclick = function () {
        var busy = document.querySelectorAll(".thebe-busy");
        busy.forEach(function (el) { el.style.display = "inline-block"; });
        return Promise.resolve(kernel() && kernel().restart()).then(function () {
          reset();
          return notebook.executeAll();
        }).then(function () {
          busy.forEach(function (el) { el.style.display = "none"; });
        });
      };
    });
  }

  // What ran of the hidden cells: [{index, ran, runs, error, stderr}] (the tests read it).
  window.relulabThebeHidden = function () {
    return hiddenCells.map(function (h) {
      return { index: h.index, ran: h.ran, runs: h.runs, error: h.error && (h.error.ename + ": " + h.error.evalue),
        stderr: h.stderr };
    });
  };

  window.thebelab = {
    relulabShim: true,
    on: function (event, handler) { handlers.push([event, handler]); },
    bootstrap: function (options) {
      pairOutputs();
      new MutationObserver(typesetOutputs).observe(document.body, { childList: true, subtree: true });
      new MutationObserver(mountExplorables).observe(document.body, { childList: true, subtree: true });
      return load().then(function (thebe) {
        handlers.forEach(function (h) { thebe.on(h[0], h[1]); });
        var page = thebe.getPageConfig() || {};
        var kernel = page.kernelOptions || {};
        var name = kernel.kernelName || kernel.name || window.kernelName || "python3";
        return thebe.bootstrap(Object.assign({}, options || {}, {
          requestKernel: true,
          kernelOptions: { kernelName: name, path: kernel.path || "/" },
          mathjaxUrl: "",
          mountStatusWidget: false,
          mountActivateWidget: false,
        })).then(function (started) {
          if (started && started.session) {
            localWidgets(started.session.manager);
            runHiddenCellsFirst(started.notebook, started.session);
          }
          return started;
        });
      });
    },
  };
})();
