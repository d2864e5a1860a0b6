/* global L */
/* exported bemTimeSlider */
// The map's time slider (render/webmap/time_slider.py, TimeSlider): a bar below `map` that
// steps through o.steps and calls update(predicate) on each of `layers` (the timelines that
// bemEventsLayer returns), then fires "bem:step" on the map. `o` is passed as JSON.
// window.bemPresenter = {step(n), togglePlay(), setDate(isoDate)} drives it from outside; in
// the map's page, left/right step and space plays or pauses. Inside streamlit-folium, where it
// was left (released, stepped, paused, mode changed; never while playing) is reported to the
// server: see report().
function bemTimeSlider(map, layers, o) {
    "use strict";
    // o.steps[j] = [day number, label]; the predicate a layer's update gets is given a row
    // whose first item is a first day (null: none). o.people[j] = [people up to step j,
    // people on step j's day], worded in Python (render.wording.people_text); o.counts.day[j]
    // the events on step j's day, o.counts.undated those without a day (shown at every
    // cumulative step); o.nobody: the words for no people. o.text: every text the
    // slider shows, in the view's language (time_slider.slider_texts).
    var t = o.text;
    var steps = o.steps.length ? o.steps : [[null, t.empty]];
    var state = {index: Math.min(o.start, steps.length - 1), mode: o.mode, timer: null};
    var upTo = [], running = o.counts.undated;
    o.counts.day.forEach(function (n) { running += n; upTo.push(running); });

    function el(tag, cls, parent) {
        var node = L.DomUtil.create(tag, cls, parent);
        return node;
    }
    // The bar below the map (outside Leaflet's panes, so it never covers the map): play, the
    // date and running total, the range and the mode.
    function makeBar() {
        var ui = {};
        var box = el("div", "bem-bar");
        var c = map.getContainer();
        c.parentNode.insertBefore(box, c.nextSibling);
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", t.slider);
        ui.play = el("button", "bem-play", box);
        ui.play.type = "button";
        var live = el("div", "bem-live", box);
        live.setAttribute("aria-live", "polite");
        ui.date = el("div", "bem-date", live);
        ui.total = el("div", "bem-total", live);
        ui.range = el("input", "bem-range", box);
        ui.range.type = "range";
        ui.range.min = "0";
        ui.range.max = String(steps.length - 1);
        ui.range.step = "1";
        ui.range.setAttribute("aria-label", t.range);
        ui.mode = el("select", "bem-mode", box);
        ui.mode.setAttribute("aria-label", t.modeLabel);
        [["cumulative", t.cumulative], ["date", t.date]].forEach(function (m) {
            var opt = el("option", "", ui.mode);
            opt.value = m[0];
            opt.textContent = m[1];
        });
        L.DomEvent.on(ui.range, "keydown", L.DomEvent.stopPropagation);
        L.DomEvent.on(ui.range, "input change", function (event) {
            stop();
            show(Number(ui.range.value));
            if (event.type === "change") { report(); }
        });
        L.DomEvent.on(ui.mode, "change", function () {
            state.mode = ui.mode.value;
            show(state.index);
            report();
        });
        L.DomEvent.on(ui.play, "click", togglePlay);
        return ui;
    }
    var ui = makeBar();

    function predicate(day) {
        if (day === null) {
            return function () { return false; };
        }
        if (state.mode === "date") {
            return function (e) { return e[0] === day; };
        }
        return function (e) { return e[0] === null || e[0] <= day; };
    }
    // A pattern of o.text with its {name} placeholders filled from `values`.
    function fill(pattern, values) {
        return pattern.replace(/\{(\w+)\}/g, function (all, name) {
            return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
        });
    }
    // Numbers as i18n.formats.number writes them: English, Korean and Chinese group digits alike.
    function fmt(n) { return n.toLocaleString("en-US"); }
    function show(index) {
        state.index = index;
        var day = steps[index][0];
        var keep = predicate(day);
        layers.forEach(function (layer) { layer.update(keep); });
        var which = state.mode === "date" ? 1 : 0;
        var people = day === null ? o.nobody : o.people[index][which];
        var n = day === null ? 0 : (which ? o.counts.day[index] : upTo[index]);
        ui.range.value = String(index);
        ui.range.setAttribute("aria-valuetext", steps[index][1]);
        ui.mode.value = state.mode;
        var label = steps[index][1];
        ui.date.textContent = state.mode === "date" || day === null ? label
            : fill(t.upTo, {date: label});
        ui.total.textContent = fill(n === 1 ? t.total.one : t.total.other,
            {n: fmt(n), people: people});
        map.fire("bem:step", {index: index});
    }
    function togglePlay() {
        if (state.timer) { stop(); report(); } else { start(); }
    }
    // Move by n steps (kept within the first and the last), stopping playback.
    function step(n) {
        stop();
        show(Math.max(0, Math.min(steps.length - 1, state.index + n)));
        report();
    }
    // Show the last step on or before an ISO date (YYYY-MM-DD), else the first one.
    function setDate(iso) {
        var day = Math.floor(Date.parse(String(iso).slice(0, 10) + "T00:00:00Z") / 86400000);
        if (isNaN(day) || steps[0][0] === null) { return; }
        var index = 0;
        steps.forEach(function (s, j) { if (s[0] <= day) { index = j; } });
        stop();
        show(index);
        report();
    }
    // streamlit-folium sends window.__GLOBAL_DATA__.selected_tags to the server on the map's
    // moveend (webapp/map_view.py): the step's day as YYYY-MM-DD (null: the last step), and
    // the mode. Outside streamlit-folium (an exported page) there is nobody to tell.
    // A report waits REPORT_QUIET_MS for no other (a key held down, steps in a row), so the
    // server reruns once, for where the slider was left.
    var REPORT_QUIET_MS = 400;
    var reportTimer = null;
    function report() {
        if (reportTimer) { clearTimeout(reportTimer); }
        reportTimer = setTimeout(function () {
            reportTimer = null;
            send();
        }, REPORT_QUIET_MS);
    }
    function send() {
        var day = steps[state.index][0];
        var last = state.index === steps.length - 1 || day === null;
        var tags = {
            at: last ? null : new Date(day * 86400000).toISOString().slice(0, 10),
            mode: state.mode
        };
        if (map.bemTag && map.bemTag(tags)) { map.fire("moveend"); }  // view_report.js
    }
    function stop() {
        if (state.timer) { clearInterval(state.timer); }
        state.timer = null;
        ui.play.textContent = "\u25b6 " + t.play;
        ui.play.setAttribute("aria-pressed", "false");
    }
    function start() {
        if (state.index >= steps.length - 1) { show(0); }
        ui.play.textContent = "\u275a\u275a " + t.pause;
        ui.play.setAttribute("aria-pressed", "true");
        state.timer = setInterval(function () {
            if (state.index >= steps.length - 1) { stop(); report(); return; }
            show(state.index + 1);
        }, o.interval);
    }
    stop();
    show(state.index);
    if (!o.steps.length) {
        ui.range.disabled = true;
        ui.play.disabled = true;
    }
    // Keys while the map's page has focus: left and right step, space plays or pauses; not
    // while a form control (whose own keys these are) or a link has focus.
    document.addEventListener("keydown", function (e) {
        var target = e.target && e.target.tagName ? e.target.tagName.toLowerCase() : "";
        if (["input", "select", "button", "textarea", "a", "summary"].indexOf(target) >= 0 ||
                e.altKey || e.ctrlKey || e.metaKey) { return; }
        var actions = {ArrowLeft: function () { step(-1); }, ArrowRight: function () { step(1); },
            " ": togglePlay};
        if (!actions[e.key]) { return; }
        e.preventDefault();
        e.stopPropagation();  // not Leaflet's keyboard panning
        actions[e.key]();
    }, true);
    // The presenter's API, which the page around the map forwards keys to.
    window.bemPresenter = {step: step, togglePlay: togglePlay, setDate: setDate};
}
