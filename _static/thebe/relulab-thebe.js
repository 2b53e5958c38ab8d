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
 *     replaces `window.thebelab` once it runs).
 * Nothing is loaded until the reader clicks Live Code.
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

  window.thebelab = {
    relulabShim: true,
    on: function (event, handler) { handlers.push([event, handler]); },
    bootstrap: function (options) {
      pairOutputs();
      new MutationObserver(typesetOutputs).observe(document.body, { childList: true, subtree: true });
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
        }));
      });
    },
  };
})();
