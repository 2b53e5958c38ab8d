// The website host of the explorables: no kernel, no CDN. Each cell's HTML output is a
// <div data-relulab-explorable="VIEW"> holding the widget's state as JSON and a fallback image; this
// module (loaded as type="module" by _ext/explorables.py, only on pages that have one) imports
// ./VIEW.mjs, gives its `render` a minimal model over that state (get, set, on, off, save_changes,
// send: the part of anywidget's model the views use) and removes the fallback image once it rendered.

/** The minimal anywidget model: state in memory, "change:NAME" events fired synchronously on `set`. */
export class Model {
  constructor(state) {
    this.state = { ...state };
    this.listeners = new Map();
  }
  get(name) { return this.state[name]; }
  set(name, value) {
    const old = this.state[name];
    this.state[name] = value;
    if (old !== value) this.emit(`change:${name}`, value);
  }
  on(event, callback) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(callback);
  }
  off(event, callback) {
    if (!event) this.listeners.clear();
    else if (!callback) this.listeners.delete(event);
    else this.listeners.get(event)?.delete(callback);
  }
  emit(event, value) {
    for (const cb of [...(this.listeners.get(event) || [])]) cb(value);
    if (event.startsWith("change:")) for (const cb of [...(this.listeners.get("change") || [])]) cb(value);
  }
  save_changes() {}
  send() {}
}

const HERE = new URL(".", import.meta.url);

async function mount(root) {
  if (root.dataset.relulabMounted) return;
  root.dataset.relulabMounted = "1";
  const name = root.dataset.relulabExplorable;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not an explorable view name: ${name}`);
  const data = root.querySelector("script.relulab-explorable-state");
  const model = new Model(JSON.parse(data.textContent));
  const view = (await import(new URL(`${name}.mjs`, HERE))).default;
  const el = document.createElement("div");
  root.append(el);
  if (view.initialize) await view.initialize({ model });
  await view.render({ model, el });
  root.relulabModel = model; // for the browser tests: the state the page holds
  root.querySelector(".relulab-explorable-fallback")?.remove();
  root.dataset.relulabReady = "1";
}

for (const root of document.querySelectorAll("[data-relulab-explorable]")) {
  mount(root).catch((e) => {
    root.dataset.relulabError = String(e);
    console.error(`relulab explorable ${root.id}: ${e && e.stack ? e.stack : e}`);
  });
}
