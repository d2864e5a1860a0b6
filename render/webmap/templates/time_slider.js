/* global L */
/* exported bemTimeSlider */
// The map's time slider (render/webmap/time_slider.py, TimeSlider): a control on `map` that
// steps through o.steps and calls update(predicate) on each of `layers` (the timelines that
// bemEventsLayer returns). `o` is passed as JSON. Inside streamlit-folium, where it was left
// (released, paused, mode changed; never while playing) is reported to the server: see report().
function bemTimeSlider(map, layers, o) {
    "use strict";
    // o.steps[j] = [day number, label]; layers[k].events[i][0] is the event's first day.
    // o.people[j] = [people up to step j, people on step j's day], worded in Python
    // (render.wording.people_text); o.nobody: the words for no people. o.text: every text the
    // slider shows, in the view's language (time_slider.slider_texts).
    var t = o.text;
    var steps = o.steps.length ? o.steps : [[null, t.empty]];
    var state = {index: Math.min(o.start, steps.length - 1), mode: o.mode, timer: null};

    function el(tag, cls, parent) {
        var node = L.DomUtil.create(tag, cls, parent);
        return node;
    }
    var Control = L.Control.extend({
        options: {position: "bottomleft"},
        onAdd: function () {
            var box = el("div", "bem-slider leaflet-bar");
            box.setAttribute("role", "group");
            box.setAttribute("aria-label", t.slider);
            var live = el("div", "bem-live", box);
            live.setAttribute("aria-live", "polite");
            this.date = el("div", "bem-date", live);
            this.total = el("div", "bem-total", live);
            var row = el("div", "bem-row", box);
            this.play = el("button", "bem-play", row);
            this.play.type = "button";
            this.range = el("input", "bem-range", row);
            this.range.type = "range";
            this.range.min = "0";
            this.range.max = String(steps.length - 1);
            this.range.step = "1";
            this.range.setAttribute("aria-label", t.range);
            this.mode = el("select", "bem-mode", box);
            this.mode.setAttribute("aria-label", t.modeLabel);
            [["cumulative", t.cumulative], ["date", t.date]].forEach(
                function (m) {
                    var opt = el("option", "", this.mode);
                    opt.value = m[0];
                    opt.textContent = m[1];
                }, this);
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            L.DomEvent.on(this.range, "keydown", L.DomEvent.stopPropagation);
            L.DomEvent.on(this.range, "input change", function (event) {
                stop();
                show(Number(this.range.value));
                if (event.type === "change") { report(); }
            }, this);
            L.DomEvent.on(this.mode, "change", function () {
                state.mode = this.mode.value;
                show(state.index);
                report();
            }, this);
            L.DomEvent.on(this.play, "click", function () {
                if (state.timer) { stop(); report(); } else { start(); }
            });
            return box;
        }
    });
    var ui = new Control().addTo(map);

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
        var n = 0;
        layers.forEach(function (layer) {
            layer.update(keep);
            layer.events.forEach(function (e) { n += keep(e) ? 1 : 0; });
        });
        var people = day === null ? o.nobody : o.people[index][state.mode === "date" ? 1 : 0];
        ui.range.value = String(index);
        ui.range.setAttribute("aria-valuetext", steps[index][1]);
        ui.mode.value = state.mode;
        var label = steps[index][1];
        ui.date.textContent = state.mode === "date" || day === null ? label
            : fill(t.upTo, {date: label});
        ui.total.textContent = fill(n === 1 ? t.total.one : t.total.other,
            {n: fmt(n), people: people});
    }
    // streamlit-folium sends window.__GLOBAL_DATA__.selected_tags to the server on the map's
    // moveend (webapp/map_view.py): the step's day as YYYY-MM-DD (null: the last step), and
    // the mode. Outside streamlit-folium (an exported page) there is nobody to tell.
    function report() {
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
}
