#include "serve/static_files.h"

namespace rxflow {

const std::string_view kServeStylesheet = R"css(
:root { --ink: #1d2430; --muted: #5b6575; --line: #d8dde5; --accent: #1f5fbf;
        --bad: #a4262c; --warn: #8a5a00; --paper: #ffffff; --shade: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 "DejaVu Sans", system-ui, sans-serif; color: var(--ink);
       background: var(--shade); }
header { display: flex; gap: 1em; align-items: baseline; padding: 0.7em 1.5em;
         background: var(--ink); color: #fff; }
header a { color: #fff; text-decoration: none; }
header .brand { font-weight: bold; }
header .workflow { color: #b9c3d3; }
header nav { margin-left: auto; display: flex; gap: 1.2em; }
main { max-width: 60em; margin: 1.5em auto; padding: 1.5em 2em; background: var(--paper);
       border: 1px solid var(--line); border-radius: 6px; }
footer { max-width: 60em; margin: 0 auto 2em; color: var(--muted); font-size: 0.85em; }
h1 { margin-top: 0; font-size: 1.5em; }
h2 { font-size: 1.1em; margin-top: 1.8em; border-bottom: 1px solid var(--line); }
.lead { color: var(--muted); }
.request-form, .tunables { display: grid;
                            grid-template-columns: repeat(auto-fill, minmax(16em, 1fr));
                            gap: 1em 1.5em; align-items: start; }
.tunables { grid-column: 1 / -1; border: 1px solid var(--line); border-radius: 4px;
            padding: 0.8em 1em 1em; margin: 0; }
.tunables legend { font-weight: bold; padding: 0 0.3em; }
.field label { display: block; font-weight: bold; margin-bottom: 0.2em; }
.field input, .field select { width: 100%; padding: 0.4em; font: inherit;
                              border: 1px solid #9aa5b5; border-radius: 4px; }
.field small { display: block; color: var(--muted); font-size: 0.8em; margin-top: 0.2em; }
button, a.button { font: inherit; padding: 0.5em 1.4em; background: var(--accent); color: #fff;
                   border: 0; border-radius: 4px; cursor: pointer; text-decoration: none;
                   display: inline-block; }
button.secondary { background: #6b7483; }
.request-form button { grid-column: 1 / -1; justify-self: start; }
.error { color: var(--bad); background: #fbeaea; padding: 0.6em 0.8em; border-radius: 4px; }
.warning { color: var(--warn); background: #fff4dc; padding: 0.6em 0.8em; border-radius: 4px; }
.note { color: var(--muted); }
.subject { color: var(--muted); font-size: 1.1em; margin: 0; }
.probabilities { display: flex; gap: 3em; align-items: flex-end; margin: 0.4em 0 1em; }
.probabilities .label { display: block; color: var(--muted); font-size: 0.85em; }
.big { font-size: 4.5em; font-weight: bold; line-height: 1.1; }
.medium { font-size: 2.2em; line-height: 1.1; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
figure { margin: 0; }
figcaption { color: var(--muted); font-size: 0.85em; }
img.generated { image-rendering: pixelated; border: 1px solid var(--line); }
figure.wide img { max-width: 34em; width: 100%; }
.plots img { max-width: 26em; width: 100%; margin: 0.5em; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 0.25em 0.8em 0.25em 0; vertical-align: top; }
table.history th, table.history td, table.compare th, table.compare td {
  border-bottom: 1px solid var(--line); padding: 0.3em 0.6em; }
tr.differs { background: #fff4dc; }
code { font-size: 0.85em; word-break: break-all; }
.tag { font-size: 0.75em; background: #fff4dc; color: var(--warn); padding: 0.1em 0.4em;
       border-radius: 3px; }
progress { width: 100%; height: 1.2em; }
)css";

const std::string_view kServeScript = R"js('use strict';
// rxflow serve: follows a queued or running job by polling its JSON status
// and opens its result when it ends. Without scripts the page reloads
// itself each second instead (a <noscript> refresh).
(function () {
  const section = document.querySelector('[data-status]');
  if (!section) return;
  const url = section.getAttribute('data-status');
  const state = document.getElementById('state');
  const text = document.getElementById('progress-text');
  const bar = document.getElementById('progress');
  function show(status) {
    state.textContent = status.state === 'queued' ? 'Queued' : 'Running';
    if (status.state === 'queued') {
      text.textContent = status.waiting_before + ' waiting before it';
    } else if (status.stages > 0) {
      text.textContent = 'stage ' + Math.min(status.stages_done + 1, status.stages) + ' of ' +
          status.stages + ': ' + status.stage;
      bar.max = status.stages;
      bar.value = status.stages_done;
    }
  }
  async function poll() {
    let status = null;
    try {
      const response = await fetch(url, {cache: 'no-store', credentials: 'same-origin'});
      if (response.ok) status = await response.json();
    } catch (error) {
      status = null;
    }
    if (status && status.state !== 'queued' && status.state !== 'running') {
      window.location.replace(status.result);
      return;
    }
    if (status) show(status);
    window.setTimeout(poll, 200);
  }
  poll();
})();
)js";

}  // namespace rxflow
