/* global L */
/* exported bemEventsLayer */
// The events of one view, drawn into the feature group `group` of `map` from the data `d` that
// render/webmap/layers/events.py (event_payload) passes as JSON. Returns the timeline the time
// slider drives: {update(predicate)}. How symbols look comes from d.sym
// (render.symbology.web_symbology): this file holds no sizes, colours or styles of its own.
function bemEventsLayer(map, group, d) {
    "use strict";
    // d.ev[i] = [firstDay, low, best, high (null: unbounded), colour index, popupHtml,
    // tooltipHtml]; the texts are escaped HTML built in Python (webmap/popups.py).
    // Aggregated (d.agg), d.ev holds packed groups of events (layers/packed.py), unpacked to
    // rows [firstDay, low, best, high, 0, number of events], and every list of rows is
    // given as [start, end) ranges. d.words: the patterns of render.wording.PEOPLE_WORDS.
    // d.text: this layer's texts in the view's language, escaped HTML with {name} placeholders,
    // counted ones as {one, other} (layers/events.py, layer_texts).
    var ev = d.agg ? unpack(d.ev) : d.ev;
    function colour(i) { return d.colours[ev[i][4]]; }
    var visible = ev.map(function () { return true; });
    // A column of LEB128 varints in base64 (packed.varints); absent: all zeros.
    function column(b64, count) {
        var out = new Array(count).fill(0);
        if (!b64) { return out; }
        var bytes = atob(b64), at = 0;
        for (var j = 0; j < count; j++) {
            var v = 0, scale = 1, c;
            do { c = bytes.charCodeAt(at++); v += (c & 127) * scale; scale *= 128; } while (c & 128);
            out[j] = v;
        }
        return out;
    }
    function unzig(v) { return v % 2 ? -(v + 1) / 2 : v / 2; }
    // Groups as rows; a day is base + the running sum of the steps (a sum of 0: no day).
    // c.day: twice the zigzagged step, plus 1 for a group of several events, whose number is
    // the next of c.n (the others hold one).
    function unpack(p) {
        var c = {};
        ["day", "best", "low", "high", "open"].forEach(function (name) {
            c[name] = column(p[name], p.count);
        });
        var several = c.day.filter(function (v) { return v % 2; }).length;
        var counts = column(p.n, several), next = 0;
        var rows = [], offset = 0;
        for (var j = 0; j < p.count; j++) {
            var flag = c.day[j] % 2, best = c.best[j];
            offset += unzig((c.day[j] - flag) / 2);
            rows.push([offset ? p.base + offset : null, best - unzig(c.low[j]), best,
                c.open[j] ? null : best + unzig(c.high[j]), 0, flag ? counts[next++] : 1]);
        }
        return rows;
    }
    // A list of rows: as given, or aggregated, from [start, end) ranges.
    function rowsOf(list) {
        if (!d.agg) { return list; }
        var ids = [];
        list.forEach(function (s) { for (var i = s[0]; i < s[1]; i++) { ids.push(i); } });
        return ids;
    }
    // How many events rows stand for.
    function count(ids) {
        return d.agg ? ids.reduce(function (sum, i) { return sum + ev[i][5]; }, 0) : ids.length;
    }
    var S = d.sym;
    ["bem-admin", 410, "bem-events", 450].forEach(function (v, j, a) {
        if (j % 2 === 0 && !map.getPane(v)) { map.createPane(v).style.zIndex = a[j + 1]; }
    });

    // Only a grid cell is sized here (its people change with the slider), as symbology.radius_px
    // sizes a symbol but on the cells' own scale (d.cells.scale: symbology.cell_radius_scale).
    function radius(people) {
        return Math.max(S.radius.min, Math.sqrt(Math.max(people, 0)) * d.cells.scale);
    }
    // Numbers as i18n.formats.number writes them: English, Korean and Chinese group digits alike.
    function fmt(n) { return n.toLocaleString("en-US"); }
    // A pattern of d.text (counted: the form for n) with its {name} placeholders filled.
    function fill(pattern, values, n) {
        var text = typeof pattern === "string" ? pattern : (n === 1 ? pattern.one : pattern.other);
        return text.replace(/\{(\w+)\}/g, function (all, name) {
            return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
        });
    }
    // People in words, as render.wording.people_text writes them: w holds its patterns.
    function peopleWords(w, lo, be, hi, open) {
        var kind = open ? (lo > 0 ? "open" : (be > 0 ? "best_only" : "not_stated"))
            : (lo === hi ? (lo > 0 ? "exact" : "none") : (lo > 0 ? "range" : "up_to"));
        var best = be !== lo ? w.best.replace("{bestn}", fmt(be)) : "";
        return w[kind].replace("{low}", fmt(lo)).replace("{high}", fmt(hi))
            .replace("{best}", best).replace("{bestn}", fmt(be));
    }
    function peopleText(ids) {
        var lo = 0, be = 0, hi = 0, open = false;
        ids.forEach(function (i) {
            lo += ev[i][1]; be += ev[i][2];
            if (ev[i][3] === null) { open = true; } else { hi += ev[i][3]; }
        });
        return peopleWords(d.words, lo, be, hi, open);
    }
    function shown(ids) { return ids.filter(function (i) { return visible[i]; }); }
    function listPopup(title, ids) {
        var on = shown(ids);
        return "<div class=\"bem-list\"><b>" + title + "</b>: " +
            fill(d.text.events, {n: fmt(on.length)}, on.length) + "<hr>" +
            on.map(function (i) { return ev[i][5]; }).join("<hr>") + "</div>";
    }

    // Point events: one GeoJSON layer; each feature is a filled circle plus an optional ring.
    var symbols = [];
    var points = L.geoJSON(d.pts, {
        pointToLayer: function (f, ll) {
            var p = f.properties;
            if (d.agg) {
                var cell = L.circleMarker(ll, Object.assign({
                    radius: S.radius.min, pane: "bem-events", className: "bem-event bem-cell"
                }, S.cell));
                var ids = rowsOf([p.g]);
                cell.bindTooltip(function () {
                    var on = shown(ids), n = count(on);
                    return fill(d.text.cell, {n: fmt(n), people: peopleText(on)}, n);
                });
                symbols.push({cell: cell, ids: ids});
                return cell;
            }
            var e = ev[p.i], c = colour(p.i);
            var main = L.circleMarker(ll, Object.assign({
                radius: p.r, color: p.s === "unknown" ? S.unknownColour : c, fillColor: c,
                pane: "bem-events", className: "bem-event bem-" + p.s
            }, S.styles[p.s]));
            var parts = [main];
            if (p.rh) {
                parts.push(L.circleMarker(ll, {
                    radius: p.rh, color: c, weight: S.ring.weight, fill: false, interactive: false,
                    dashArray: S.ring.dash[p.s] || null, pane: "bem-events", className: "bem-ring"
                }));
            }
            var g = L.featureGroup(parts);
            if (e[5]) { g.bindPopup(e[5], {maxWidth: 380, maxHeight: 360}); }
            if (e[6]) { g.bindTooltip(e[6]); }
            symbols.push({g: g, i: p.i, parts: parts, ll: ll, k: p.k, n: p.n, R: p.R});
            return g;
        }
    }).addTo(group);

    // Several events at one place: spread them on a small circle, in screen pixels.
    function spread() {
        symbols.forEach(function (s) {
            if (!s.n) { return; }
            var a = 2 * Math.PI * s.k / s.n - Math.PI / 2;
            var pt = map.latLngToLayerPoint(s.ll).add([Math.cos(a) * (s.R + 2), Math.sin(a) * (s.R + 2)]);
            var ll = map.layerPointToLatLng(pt);
            s.parts.forEach(function (layer) { layer.setLatLng(ll); });
        });
    }
    if (!d.agg) { map.on("zoomend viewreset", spread); map.whenReady(spread); }

    // Province-level events: the province outlined and tinted; popup lists the shown events.
    var admin = {};
    Object.keys(d.adm.geo).forEach(function (code) {
        var ids = rowsOf(d.adm.ev[code]), c = d.colours[d.adm.col[code]];
        var layer = L.geoJSON(d.adm.geo[code], {
            pane: "bem-admin",
            style: Object.assign({color: c, fillColor: c, className: "bem-admin-event"}, S.admin)
        });
        layer.bindTooltip(function () {
            var on = shown(ids), n = count(on);
            return fill(d.text.province, {name: d.adm.names[code], n: fmt(n),
                people: peopleText(on)}, n);
        }, {sticky: true});
        if (!d.agg) { layer.bindPopup(function () { return listPopup(d.adm.names[code], ids); }, {maxWidth: 380, maxHeight: 360}); }
        admin[code] = {layer: layer, ids: ids};
        layer.addTo(group);
    });

    // Border-wide events: a band along the whole border.
    var band = null, borderIds = rowsOf(d.bor.ev);
    if (d.bor.geo) {
        band = L.geoJSON(d.bor.geo, {
            pane: "bem-admin",
            style: Object.assign({lineCap: "butt", className: "bem-border-event"}, S.band)
        });
        band.bindTooltip(function () {
            var on = shown(borderIds), n = count(on);
            return fill(d.text.border, {n: fmt(n), people: peopleText(on)}, n);
        }, {sticky: true});
        if (!d.agg) { band.bindPopup(function () { return listPopup(d.text.borderTitle, borderIds); }, {maxWidth: 380, maxHeight: 360}); }
        band.addTo(group);
    }

    function toggle(layer, on) {
        if (on && !group.hasLayer(layer)) { group.addLayer(layer); }
        if (!on && group.hasLayer(layer)) { group.removeLayer(layer); }
    }

    function update(predicate) {
        ev.forEach(function (e, i) { visible[i] = predicate(e); });
        symbols.forEach(function (s) {
            if (s.cell) {
                var on = shown(s.ids);
                var people = on.reduce(function (sum, i) { return sum + ev[i][2]; }, 0);
                s.cell.setRadius(radius(people));
                if (on.length && !points.hasLayer(s.cell)) { points.addLayer(s.cell); }
                if (!on.length && points.hasLayer(s.cell)) { points.removeLayer(s.cell); }
                return;
            }
            var onMap = points.hasLayer(s.g);
            if (visible[s.i] && !onMap) { points.addLayer(s.g); }
            if (!visible[s.i] && onMap) { points.removeLayer(s.g); }
        });
        Object.keys(admin).forEach(function (code) {
            toggle(admin[code].layer, shown(admin[code].ids).length > 0);
        });
        if (band) { toggle(band, shown(borderIds).length > 0); }
    }

    return {update: update};
}
